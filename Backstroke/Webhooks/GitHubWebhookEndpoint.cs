using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary><c>POST /webhooks/github</c>: GitHub's deliveries, verified, each handled once (SPEC §5).</summary>
internal static partial class GitHubWebhookEndpoint
{
    public static async Task<Results<JsonHttpResult<WebhookAnswer>, JsonHttpResult<WebhookError>>> HandleAsync(
        HttpRequest request,
        IOptionsSnapshot<GitHubOptions> github,
        BackstrokeDbContext db,
        DeliveryLedger ledger,
        PushHandler pushes,
        RepositoryHandler repositories,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var secret = github.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            return Error(StatusCodes.Status401Unauthorized, "Webhooks are refused: this Backstroke has no GitHub:WebhookSecret to verify them with.");
        }

        var body = await ReadBodyAsync(request, ct);
        if (!WebhookSignature.IsValid(secret, body, request.Headers["X-Hub-Signature-256"].ToString()))
        {
            LogRefused(loggers.CreateLogger(typeof(GitHubWebhookEndpoint).FullName!));
            return Error(StatusCodes.Status401Unauthorized, "The X-Hub-Signature-256 header is missing or does not match the body.");
        }

        var eventName = request.Headers["X-GitHub-Event"].ToString();
        if (eventName.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "The X-GitHub-Event header is missing.");
        }

        if (eventName is not ("ping" or "push" or "repository"))
        {
            return Answer(WebhookOutcome.Ignored($"The '{eventName}' event needs nothing from Backstroke."));
        }

        JsonDocument document;
        try
        {
            document = WebhookBodies.Parse(request.ContentType, body);
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "The body is not valid JSON (nor a form with a JSON 'payload' field).");
        }

        using (document)
        {
            if (eventName == "ping")
            {
                return Answer(WebhookOutcome.Handled("Pong: Backstroke receives this hook's deliveries."));
            }

            var deliveryId = request.Headers["X-GitHub-Delivery"].ToString() is { Length: > 0 and <= 64 } id ? id : null;
            if (deliveryId is not null && await ledger.ClaimAsync(db, deliveryId, ct) is { } repeat)
            {
                return Answer(WebhookOutcome.Handled(repeat));
            }

            var remember = false;
            try
            {
                var outcome = eventName == "push"
                    ? await pushes.HandleAsync(document.RootElement, deliveryId, ct)
                    : await repositories.HandleAsync(document.RootElement, ct);
                remember = outcome.Remember;
                return Answer(outcome);
            }
            catch (PayloadException invalid)
            {
                return Error(StatusCodes.Status400BadRequest, invalid.Message);
            }
            finally
            {
                if (deliveryId is not null)
                {
                    await ledger.ReleaseAsync(db, deliveryId, eventName, remember);
                }
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static JsonHttpResult<WebhookAnswer> Answer(WebhookOutcome outcome) =>
        TypedResults.Json(new WebhookAnswer("ok", outcome.Message, outcome.Queued), statusCode: outcome.Status);

    private static JsonHttpResult<WebhookError> Error(int status, string message) =>
        TypedResults.Json(new WebhookError(message), statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a GitHub webhook with a missing or wrong signature")]
    private static partial void LogRefused(ILogger logger);
}

internal sealed record WebhookAnswer(string Status, string Message, int Queued);

internal sealed record WebhookError(string Error);
