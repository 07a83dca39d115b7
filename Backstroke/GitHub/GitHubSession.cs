using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backstroke.GitHub;

/// <summary>
/// The GitHub calls Backstroke makes, as one token. Every path is built by <see cref="GitHubPath"/> (names checked
/// and escaped one by one); every failure comes out as <see cref="GitHubException"/>. Reads that a 304 can answer
/// are conditional, so repeating them costs no rate limit.
/// </summary>
internal sealed partial class GitHubSession(GitHubHttp http, ConditionalCache conditional, string token)
{
    private static readonly IReadOnlySet<HttpStatusCode> NotFound = new HashSet<HttpStatusCode> { HttpStatusCode.NotFound };

    private readonly string cacheKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public bool Owns(string candidate) => string.Equals(candidate, token, StringComparison.Ordinal);

    /// <summary>
    /// Numbers of the issues and pull requests, open or closed, carrying <paramref name="label"/> (at most one: any
    /// will do). GitHub's issue list holds pull requests too, and forks have Issues off, so a labelled pull request
    /// is often the only way a fork can say something.
    /// </summary>
    public Task<IReadOnlyList<int>> IssuesLabelledAsync(string owner, string repo, string label, CancellationToken ct) =>
        GetConditionalAsync(
            GitHubPath.Repo(owner, repo).Fixed("issues").Query("state", "all").Query("labels", label).Query("per_page", "1"),
            json => (IReadOnlyList<int>)[.. json.EnumerateArray().Select(i => i.GetProperty("number").GetInt32())],
            ct);

    /// <summary>
    /// A pull request on <paramref name="owner"/>/<paramref name="repo"/> from <paramref name="head"/> of
    /// <paramref name="headOwner"/>/<paramref name="headRepo"/> into <paramref name="base"/>. <c>owner:branch</c> names
    /// the owner's repository of the network, which is the base itself when both have one owner (org/proj-fork of
    /// org/proj): then <c>head_repo</c> says which, as GitHub's OpenAPI text requires for that case.
    /// </summary>
    public async Task<PullRequestRef> CreatePullRequestAsync(
        string owner, string repo, string title, string headOwner, string headRepo, string head, string @base, string body, CancellationToken ct)
    {
        var request = new PullRequestBody(title, Head(headOwner, head), GitHubNames.RequireBranch(@base), body, MaintainerCanModify: false)
        {
            HeadRepo = SameOwner(owner, headOwner) ? GitHubNames.RequireOwner(headOwner) + "/" + GitHubNames.RequireRepo(headRepo) : null,
        };
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Post, GitHubPath.Repo(owner, repo).Fixed("pulls")) { Body = request, FollowRedirects = true }, ct);
        return ReadPull(await GitHubHttp.ReadJsonAsync(response, ct));
    }

    public async Task<PullRequestRef?> FindOpenPullRequestAsync(string owner, string repo, string headOwner, string head, string @base, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("pulls")
            .Query("state", "open").Query("head", Head(headOwner, head)).Query("base", GitHubNames.RequireBranch(@base)).Query("per_page", "1").Query("page", "1");
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { FollowRedirects = true }, ct);
        var list = await GitHubHttp.ReadJsonAsync(response, ct);
        return list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0 ? ReadPull(list[0]) : null;
    }

    /// <summary>The repository, or null when it does not exist (or the token cannot see it).</summary>
    public async Task<RepoInfo?> GetRepositoryAsync(string owner, string repo, CancellationToken ct)
    {
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, GitHubPath.Repo(owner, repo)) { FollowRedirects = true, Expected = NotFound }, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : ReadRepo(await GitHubHttp.ReadJsonAsync(response, ct));
    }

    public async Task<bool> BranchExistsAsync(string owner, string repo, string branch, CancellationToken ct)
    {
        using var response = await http.SendAsync(token, BranchCall(owner, repo, branch, NotFound), ct);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    public async Task<string> GetBranchShaAsync(string owner, string repo, string branch, CancellationToken ct)
    {
        using var response = await http.SendAsync(token, BranchCall(owner, repo, branch, new HashSet<HttpStatusCode>()), ct);
        return JsonText.Str(await GitHubHttp.ReadJsonAsync(response, ct), "commit", "sha")
            ?? throw new GitHubException(GitHubFailure.Transient, 200, "GitHub's answer named no commit for the branch.");
    }

    /// <summary>Every direct fork of the repository, oldest first, all pages. The names come from GitHub and are checked like any other when used.</summary>
    public async Task<IReadOnlyList<RepoInfo>> ListForksAsync(string owner, string repo, CancellationToken ct)
    {
        var forks = await http.GetPagesAsync(token, GitHubPath.Repo(owner, repo).Fixed("forks").Query("sort", "oldest").Query("per_page", "100"), int.MaxValue, ct);
        return [.. forks.Select(ReadRepo)];
    }

    /// <summary>
    /// Compares <paramref name="head"/> of <paramref name="headOwner"/>/<paramref name="headRepo"/> (same fork network)
    /// with <paramref name="base"/>. When both repositories have one owner, <c>owner:branch</c> would name this
    /// repository itself, so the head is spelled <c>owner:repo:branch</c>.
    /// </summary>
    public async Task<Comparison> CompareAsync(string owner, string repo, string @base, string headOwner, string headRepo, string head, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("compare").Compare(@base, headOwner, SameOwner(owner, headOwner) ? headRepo : null, head);
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { FollowRedirects = true }, ct);
        var c = await GitHubHttp.ReadJsonAsync(response, ct);
        var commits = c.TryGetProperty("commits", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
        var count = commits.ValueKind == JsonValueKind.Array ? commits.GetArrayLength() : 0;
        var complete = count > 0 && count == JsonText.Int(c, "total_commits");
        return new Comparison(JsonText.Str(c, "status") ?? "", JsonText.Int(c, "ahead_by"), JsonText.Int(c, "behind_by"),
            complete ? JsonText.Str(commits[count - 1], "sha") : null);
    }

    /// <summary>Moves a branch to <paramref name="sha"/>, never by force: GitHub refuses (422) unless it is a fast-forward.</summary>
    public async Task UpdateBranchAsync(string owner, string repo, string branch, string sha, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("git").Fixed("refs").Fixed("heads").Branch(branch);
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Patch, path) { Body = new RefUpdateBody(sha, Force: false), FollowRedirects = true }, ct);
    }

    /// <summary>Logins are case-insensitive on GitHub.</summary>
    private static bool SameOwner(string owner, string other) => string.Equals(owner, other, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>owner:branch</c> form GitHub takes for a head, from checked names.</summary>
    private static string Head(string owner, string branch) => GitHubNames.RequireOwner(owner) + ":" + GitHubNames.RequireBranch(branch);

    private static GitHubCall BranchCall(string owner, string repo, string branch, IReadOnlySet<HttpStatusCode> expected) =>
        new(HttpMethod.Get, GitHubPath.Repo(owner, repo).Fixed("branches").Branch(branch)) { FollowRedirects = true, Expected = expected };

    private async Task<T> GetConditionalAsync<T>(GitHubPath path, Func<JsonElement, T> parse, CancellationToken ct)
        where T : class
    {
        var url = path.ToString();
        var cached = conditional.Get(cacheKey, url);
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { IfNoneMatch = cached?.ETag }, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return cached is { Value: T value } ? value : throw new GitHubException(GitHubFailure.Transient, 304, "GitHub answered 304 to a request Backstroke had no copy for.");
        }

        var result = Parse(await GitHubHttp.ReadJsonAsync(response, ct), parse);
        if (response.Headers.ETag is { } etag)
        {
            conditional.Set(cacheKey, url, etag.ToString(), result);
        }

        return result;
    }

    /// <summary>An answer whose shape is not GitHub's (a missing field) is GitHub misbehaving: transient, not a crash.</summary>
    private static T Parse<T>(JsonElement json, Func<JsonElement, T> parse)
    {
        try
        {
            return parse(json);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GitHubException(GitHubFailure.Transient, 200, "GitHub's answer could not be read.", inner: exception);
        }
    }

    private static PullRequestRef ReadPull(JsonElement pr) => Parse(pr, p => new PullRequestRef(p.GetProperty("number").GetInt32(), p.GetProperty("html_url").GetString()!));

    private static RepoInfo ReadRepo(JsonElement repo) => Parse(repo, r => new RepoInfo(
        r.GetProperty("owner").GetProperty("login").GetString()!, r.GetProperty("name").GetString()!, JsonText.Bool(r, "archived"), JsonText.Bool(r, "disabled")));

    private sealed record PullRequestBody(
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("head")] string Head,
        [property: JsonPropertyName("base")] string Base,
        [property: JsonPropertyName("body")] string Body,
        [property: JsonPropertyName("maintainer_can_modify")] bool MaintainerCanModify)
    {
        [JsonPropertyName("head_repo")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? HeadRepo { get; init; }
    }

    private sealed record RefUpdateBody(
        [property: JsonPropertyName("sha")] string Sha,
        [property: JsonPropertyName("force")] bool Force);
}
