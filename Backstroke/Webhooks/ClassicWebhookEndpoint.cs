using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary>
/// The original Backstroke's "classic" webhook, <c>POST /</c> with a GitHub push payload (JSON, or the
/// <c>payload</c> field of a form, which is what hooks made in GitHub's UI send), no link needed. The push is queued
/// (<see cref="ClassicPushQueue"/>) and answered at once with 202: GitHub gives up on a delivery after 10 seconds and
/// does not retry it, so no GitHub call is made while it waits. Only requests carrying <c>X-GitHub-Event</c> reach it
/// (<see cref="GitHubEventRequired"/>), so the dashboard's own form posts to <c>/</c> go to the dashboard.
/// </summary>
internal static class ClassicWebhookEndpoint
{
    public static async Task<Results<JsonHttpResult<ClassicAnswer>, JsonHttpResult<ErrorJson>>> HandleAsync(
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

        // The original service took unsigned pushes; once a secret is configured, only GitHub's signed ones.
        var secret = string.IsNullOrEmpty(github.Value.WebhookSecret) ? null : github.Value.WebhookSecret;
        var (body, status, refusal) = await WebhookBody.ReadAsync(request, secret, ct);
        if (body is null)
        {
            return GitHubWebhookEndpoint.Refuse(request, status, refusal!);
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
            using var payload = body.Parse(request.ContentType);
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

    private static JsonHttpResult<ErrorJson> Error(int status, string message) => ErrorJson.Result(status, message);
}

internal sealed record ClassicAnswer(string Status, string Message);
