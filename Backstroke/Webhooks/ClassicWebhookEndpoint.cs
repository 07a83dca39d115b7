using System.Text.Json;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary>
/// The original Backstroke's "classic" webhook, <c>POST /</c> with a GitHub push payload, no link needed:
/// a push to a fork proposes its parent's default branch to it; a push to the default branch of an upstream proposes
/// that branch to its forks (the first page). Both run the sync rules as the bot, while the caller waits.
/// </summary>
internal static partial class ClassicWebhookEndpoint
{
    public static async Task<Results<JsonHttpResult<ClassicAnswer>, JsonHttpResult<ErrorJson>>> HandleAsync(
        HttpRequest request,
        IOptionsSnapshot<GitHubOptions> github,
        GitHubClients clients,
        ClassicGitHub network,
        ForkSync forkSync,
        ILoggerFactory loggers,
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

        if (request.Headers["X-GitHub-Event"].ToString() is { Length: > 0 } eventName && eventName != "push")
        {
            return TypedResults.Json(new ClassicAnswer("ok", $"The '{eventName}' event needs nothing from Backstroke.", []), statusCode: StatusCodes.Status202Accepted);
        }

        RepoName repo;
        string? branch;
        string? defaultBranch;
        bool isFork;
        try
        {
            using var payload = body.Parse(request.ContentType);
            repo = WebhookPayloads.Repository(payload.RootElement);
            branch = WebhookPayloads.String(payload.RootElement, "ref") is { } r && r.StartsWith("refs/heads/", StringComparison.Ordinal) ? r["refs/heads/".Length..] : null;
            isFork = WebhookPayloads.Bool(payload.RootElement.GetProperty("repository"), "fork");
            defaultBranch = WebhookPayloads.String(payload.RootElement, "repository", "default_branch");
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "The body is not a GitHub push payload in JSON (nor a form with a JSON 'payload' field).");
        }
        catch (PayloadException invalid)
        {
            return Error(StatusCodes.Status400BadRequest, invalid.Message);
        }

        var bot = clients.For(github.Value.BotToken);
        try
        {
            var targets = await TargetsAsync(network, github.Value.BotToken, repo, branch, defaultBranch, isFork, ct);
            var results = new List<ClassicResult>(targets.Count);
            foreach (var (upstream, fork) in targets)
            {
                var result = await forkSync.RunAsync(bot, bot, upstream, fork, Data.SyncMode.PullRequest, ct);
                results.Add(new ClassicResult(fork.FullName, result.Ok ? "ok" : "error", result.Message, result.PullRequest));
            }

            LogClassic(loggers.CreateLogger(typeof(ClassicWebhookEndpoint).FullName!), repo.ToString(), results.Count);
            return TypedResults.Json(new ClassicAnswer("ok", $"Proposed changes to {results.Count} fork(s).", results));
        }
        catch (GitHubException failure) when (!failure.IsTransient)
        {
            return Error(StatusCodes.Status400BadRequest, $"GitHub refused to describe {repo}: {failure.Describe()}");
        }
        catch (GitHubException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "GitHub is unavailable or rate-limited for the bot; try again later.");
        }
    }

    private static async Task<List<(BranchRef Upstream, BranchRef Fork)>> TargetsAsync(
        ClassicGitHub network, string token, RepoName repo, string? branch, string? defaultBranch, bool isFork, CancellationToken ct)
    {
        if (isFork)
        {
            return await network.ParentAsync(token, repo.Owner, repo.Name, ct) is { } parent
                ? [(new BranchRef(parent.Owner, parent.Name, parent.DefaultBranch), new BranchRef(repo.Owner, repo.Name, parent.DefaultBranch))]
                : [];
        }

        // Only the default branch is proposed: feature branches are the upstream's own business.
        if (branch is null || (defaultBranch is not null && branch != defaultBranch))
        {
            return [];
        }

        var forks = await network.FirstForksAsync(token, repo.Owner, repo.Name, ct);
        return [.. forks.Select(f => (new BranchRef(repo.Owner, repo.Name, branch), new BranchRef(f.Owner, f.Name, branch)))];
    }

    private static JsonHttpResult<ErrorJson> Error(int status, string message) => ErrorJson.Result(status, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Classic webhook for {Repository} ran {Count} fork(s)")]
    private static partial void LogClassic(ILogger logger, string repository, int count);
}

internal sealed record ClassicResult(string Fork, string Status, string Message, PullRequestRef? PullRequest);

internal sealed record ClassicAnswer(string Status, string Message, IReadOnlyList<ClassicResult> Forks);
