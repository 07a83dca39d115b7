using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary>
/// The original Backstroke's "classic" webhook (SPEC §6), <c>POST /</c> with a GitHub push payload (JSON, or the
/// <c>payload</c> field of a form, which is what hooks made in GitHub's UI send), no link needed. The push is queued
/// (<see cref="ClassicPushQueue"/>) and answered at once with 202: GitHub gives up on a delivery after 10 seconds and
/// does not retry it, so no GitHub call is made while it waits. Only requests carrying <c>X-GitHub-Event</c> reach it
/// (<see cref="GitHubEventRequired"/>), so the dashboard's own form posts to <c>/</c> go to the dashboard.
/// </summary>
internal static class ClassicWebhookEndpoint
{
    public static async Task<Results<JsonHttpResult<ClassicAnswer>, JsonHttpResult<WebhookError>>> HandleAsync(
        HttpRequest request,
        IOptionsSnapshot<GitHubOptions> github,
        BackstrokeDbContext db,
        ClassicPushQueue queue,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(github.Value.BotToken))
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "Classic webhooks act as the bot, and GitHub:BotToken is not set.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        // The original service took unsigned pushes; once a secret is configured, only GitHub's signed ones.
        if (!string.IsNullOrEmpty(github.Value.WebhookSecret)
            && !WebhookSignature.IsValid(github.Value.WebhookSecret, body, request.Headers["X-Hub-Signature-256"].ToString()))
        {
            return Error(StatusCodes.Status401Unauthorized, "The X-Hub-Signature-256 header is missing or does not match the body.");
        }

        var eventName = request.Headers["X-GitHub-Event"].ToString();
        if (eventName != "push")
        {
            return TypedResults.Json(new ClassicAnswer("ok", $"The '{eventName}' event needs nothing from Backstroke."), statusCode: StatusCodes.Status202Accepted);
        }

        RepoName repo;
        string? branch;
        string? defaultBranch;
        bool isFork;
        try
        {
            using var payload = WebhookBodies.Parse(request.ContentType, body);
            repo = WebhookPayloads.Repository(payload.RootElement);
            branch = WebhookPayloads.String(payload.RootElement, "ref") is { } r && r.StartsWith("refs/heads/", StringComparison.Ordinal)
                && GitHubNames.IsBranch(r["refs/heads/".Length..]) ? r["refs/heads/".Length..] : null;
            isFork = WebhookPayloads.Bool(payload.RootElement.GetProperty("repository"), "fork");
            defaultBranch = WebhookPayloads.String(payload.RootElement, "repository", "default_branch") is { } d && GitHubNames.IsBranch(d) ? d : null;
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "The body is not a GitHub push payload in JSON (nor a form with a JSON 'payload' field).");
        }
        catch (PayloadException invalid)
        {
            return Error(StatusCodes.Status400BadRequest, invalid.Message);
        }

        await queue.EnqueueAsync(db, repo, branch, defaultBranch, isFork, ct);
        return TypedResults.Json(new ClassicAnswer("ok", $"Queued: the push to {repo} will be proposed to its fork(s) shortly."),
            statusCode: StatusCodes.Status202Accepted);
    }

    private static JsonHttpResult<WebhookError> Error(int status, string message) => TypedResults.Json(new WebhookError(message), statusCode: status);
}

internal sealed record ClassicAnswer(string Status, string Message);
