using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary><c>POST /webhooks/github</c>: GitHub's deliveries, verified, each handled once.</summary>
internal static partial class GitHubWebhookEndpoint
{
    public static async Task<Results<JsonHttpResult<WebhookAnswer>, JsonHttpResult<ErrorJson>>> HandleAsync(
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

        var (body, status, refusal) = await WebhookBody.ReadAsync(request, secret, ct);
        if (body is null)
        {
            if (status == StatusCodes.Status401Unauthorized)
            {
                LogRefused(loggers.CreateLogger(typeof(GitHubWebhookEndpoint).FullName!));
            }

            return Refuse(request, status, refusal!);
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
            document = body.Parse(request.ContentType);
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

    /// <summary>A refusal before the body was read whole: the connection is closed rather than left for the server to
    /// drain the rest of an unwanted body.</summary>
    internal static JsonHttpResult<ErrorJson> Refuse(HttpRequest request, int status, string message)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return Error(status, message);
    }

    private static JsonHttpResult<WebhookAnswer> Answer(WebhookOutcome outcome) =>
        TypedResults.Json(new WebhookAnswer("ok", outcome.Message, outcome.Queued), statusCode: outcome.Status);

    private static JsonHttpResult<ErrorJson> Error(int status, string message) => ErrorJson.Result(status, message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a GitHub webhook with a missing or wrong signature")]
    private static partial void LogRefused(ILogger logger);
}

internal sealed record WebhookAnswer(string Status, string Message, int Queued);

