using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary><c>POST /webhooks/github</c>: GitHub's deliveries, verified, each handled once (SPEC §5).</summary>
internal static partial class GitHubWebhookEndpoint
{
    public static async Task<Results<JsonHttpResult<WebhookAnswer>, JsonHttpResult<ErrorJson>>> HandleAsync(
        HttpRequest request,
        IOptionsSnapshot<GitHubOptions> github,
        BackstrokeDbContext db,
        DeliveryLedger ledger,
        PushHandler pushes,
        RepositoryHandler repositories,
        InstallationHandler installations,
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

        if (eventName is not ("ping" or "push" or "repository" or "installation" or "installation_repositories"))
        {
            return Answer(WebhookOutcome.Ignored($"The '{eventName}' event needs nothing from Backstroke."));
        }

        JsonDocument document;
        try
        {
            document = ParsePayload(request, body);
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
                var outcome = eventName switch
                {
                    "push" => await pushes.HandleAsync(document.RootElement, deliveryId, ct),
                    "installation" => await installations.HandleInstallationAsync(document.RootElement, ct),
                    "installation_repositories" => await installations.HandleRepositoriesAsync(document.RootElement, ct),
                    _ => await repositories.HandleAsync(document.RootElement, ct),
                };
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

    /// <summary>A hook may be set to <c>application/x-www-form-urlencoded</c>: the JSON is then the <c>payload</c> field.
    /// The signature covers the raw body either way, so it is checked before this.</summary>
    private static JsonDocument ParsePayload(HttpRequest request, byte[] body)
    {
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
            return JsonDocument.Parse(form.TryGetValue("payload", out var payload) ? payload.ToString() : "");
        }

        return JsonDocument.Parse(body);
    }

    private static JsonHttpResult<WebhookAnswer> Answer(WebhookOutcome outcome) =>
        TypedResults.Json(new WebhookAnswer("ok", outcome.Message, outcome.Queued), statusCode: outcome.Status);

    private static JsonHttpResult<ErrorJson> Error(int status, string message) => ErrorJson.Result(status, message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a GitHub webhook with a missing or wrong signature")]
    private static partial void LogRefused(ILogger logger);
}

internal sealed record WebhookAnswer(string Status, string Message, int Queued);

