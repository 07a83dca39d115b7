using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Octokit;

namespace Backstroke.GitHub;

/// <summary>
/// The GitHub calls Backstroke makes, as one token. Octokit where it has the call; our own conditional GET (same
/// handler, same budget) where a 304 saves rate limit. Errors come out as <see cref="GitHubApiException"/>, waits as
/// <see cref="GitHubRateLimitedException"/>; connection failures and timeouts pass through as they are.
/// </summary>
internal sealed class GitHubSession(IGitHubClient client, HttpClient http, ConditionalCache conditional, string token)
{
    private readonly string cacheKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public bool Owns(string candidate) => string.Equals(candidate, token, StringComparison.Ordinal);

    /// <summary>Numbers of the open issues and pull requests carrying <paramref name="label"/> (at most one: any will do).</summary>
    public async Task<IReadOnlyList<int>> OpenIssuesLabelledAsync(string owner, string repo, string label, CancellationToken ct)
    {
        var url = $"repos/{Escape(owner)}/{Escape(repo)}/issues?state=open&labels={Escape(label)}&per_page=1";
        return await GetConditionalAsync(url, json => (IReadOnlyList<int>)[.. json.EnumerateArray().Select(i => i.GetProperty("number").GetInt32())], ct);
    }

    public Task<PullRequestRef> CreatePullRequestAsync(string owner, string repo, string title, string head, string @base, string body) =>
        Call(async () =>
        {
            var pr = await client.PullRequest.Create(owner, repo, new NewPullRequest(title, head, @base) { Body = body, MaintainerCanModify = false });
            return new PullRequestRef(pr.Number, pr.HtmlUrl);
        });

    public Task<PullRequestRef?> FindOpenPullRequestAsync(string owner, string repo, string head, string @base) =>
        Call(async () =>
        {
            var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = head, Base = @base };
            var prs = await client.PullRequest.GetAllForRepository(owner, repo, request, new ApiOptions { PageSize = 1, PageCount = 1, StartPage = 1 });
            return prs.Count == 0 ? null : new PullRequestRef(prs[0].Number, prs[0].HtmlUrl);
        });

    public Task<RepoInfo?> GetRepositoryAsync(string owner, string repo) =>
        CallOrNull(async () =>
        {
            var r = await client.Repository.Get(owner, repo);
            return new RepoInfo(r.Owner.Login, r.Name, r.Archived);
        });

    public async Task<bool> BranchExistsAsync(string owner, string repo, string branch) =>
        await CallOrNull(async () => await client.Repository.Branch.Get(owner, repo, branch)) is not null;

    public async Task<bool> HasLabelAsync(string owner, string repo, string label) =>
        await CallOrNull(async () => await client.Issue.Labels.Get(owner, repo, label)) is not null;

    /// <summary>Every direct fork of the repository, all pages.</summary>
    public Task<IReadOnlyList<RepoInfo>> ListForksAsync(string owner, string repo) =>
        Call(async () =>
        {
            var forks = await client.Repository.Forks.GetAll(owner, repo, new ApiOptions { PageSize = 100 });
            return (IReadOnlyList<RepoInfo>)[.. forks.Select(f => new RepoInfo(f.Owner.Login, f.Name, f.Archived))];
        });

    /// <summary>Compares <paramref name="head"/> (may be <c>owner:branch</c> in the same network) with <paramref name="base"/>.</summary>
    public Task<Comparison> CompareAsync(string owner, string repo, string @base, string head) =>
        Call(async () =>
        {
            var c = await client.Repository.Commit.Compare(owner, repo, @base, head);
            var complete = c.Commits is { } commits && commits.Count == c.TotalCommits && commits.Count > 0;
            return new Comparison(c.Status, c.AheadBy, c.BehindBy, complete ? c.Commits![^1].Sha : null);
        });

    public Task<string> GetBranchShaAsync(string owner, string repo, string branch) =>
        Call(async () => (await client.Repository.Branch.Get(owner, repo, branch)).Commit.Sha);

    /// <summary>Moves a branch to <paramref name="sha"/>, never by force: GitHub refuses (422) unless it is a fast-forward.</summary>
    public Task UpdateBranchAsync(string owner, string repo, string branch, string sha) =>
        Call(async () => await client.Git.Reference.Update(owner, repo, "heads/" + branch, new ReferenceUpdate(sha, force: false)));

    private async Task<T> GetConditionalAsync<T>(string url, Func<JsonElement, T> parse, CancellationToken ct)
        where T : class
    {
        var cached = conditional.Get(cacheKey, url);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "token " + token);
        if (cached is { } hit)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", hit.ETag);
        }

        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotModified && cached is { Value: T value })
        {
            return value;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await GitHubApiException.FromAsync(response, ct);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        var result = parse(json.RootElement);
        if (response.Headers.ETag is { } etag)
        {
            conditional.Set(cacheKey, url, etag.ToString(), result);
        }

        return result;
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            throw GitHubApiException.From(ex);
        }
    }

    private static Task Call(Func<Task> call) => Call(async () =>
    {
        await call();
        return true;
    });

    private static async Task<T?> CallOrNull<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await Call(call);
        }
        catch (GitHubApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
