using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Backstroke.GitHub;

/// <summary>
/// The calls of a fork-all run, each conditional on an ETag the caller keeps (in the database, so it survives a
/// restart): an unchanged answer is a 304, which costs no rate limit.
/// </summary>
internal sealed partial class GitHubSession
{
    public const int ForksPerPage = 100;

    private const int LabelsPerPage = 100;

    /// <summary>
    /// One page of the direct forks, oldest first: a new fork lands on the last page, so the earlier pages keep their
    /// ETags run after run. <see cref="ForksPage.Forks"/> is null when GitHub answered 304 to <paramref name="etag"/>.
    /// </summary>
    public async Task<ForksPage> ListForksPageAsync(string owner, string repo, int page, string? etag, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("forks").Query("sort", "oldest")
            .Query("per_page", ForksPerPage.ToString(CultureInfo.InvariantCulture)).Query("page", page.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { FollowRedirects = true, IfNoneMatch = etag }, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new ForksPage(null, etag);
        }

        var json = await GitHubHttp.ReadJsonAsync(response, ct);
        var forks = json.ValueKind == JsonValueKind.Array ? [.. json.EnumerateArray().Select(ReadListedFork)] : new List<ListedFork>();
        return new ForksPage(forks, response.Headers.ETag?.ToString());
    }

    /// <summary>
    /// Whether the repository has the label, from its label list: a list answers 200 with an ETag whether or not the
    /// label is there (a missing label's own address answers 404, which GitHub never makes conditional), so a fork
    /// that has not opted in costs a free 304 on the next run too. <see cref="LabelCheck.Present"/> is null on a 304.
    /// </summary>
    public async Task<LabelCheck> HasLabelAsync(string owner, string repo, string label, string? etag, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("labels").Query("per_page", LabelsPerPage.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { FollowRedirects = true, IfNoneMatch = etag }, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new LabelCheck(null, etag);
        }

        var json = await GitHubHttp.ReadJsonAsync(response, ct);
        var names = json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().Select(l => JsonText.Str(l, "name")).ToList() : [];
        if (names.Any(n => string.Equals(n, label, StringComparison.OrdinalIgnoreCase)))
        {
            return new LabelCheck(true, response.Headers.ETag?.ToString());
        }

        if (names.Count < LabelsPerPage)
        {
            return new LabelCheck(false, response.Headers.ETag?.ToString());
        }

        // More labels than one page holds (rare: a fork starts with GitHub's nine): ask for the label itself, and keep
        // no ETag, since the list's first page alone does not tell.
        var one = GitHubPath.Repo(owner, repo).Fixed("labels").Name(label);
        using var single = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, one) { FollowRedirects = true, Expected = NotFound }, ct);
        return new LabelCheck(single.StatusCode != HttpStatusCode.NotFound, null);
    }

    /// <summary>
    /// Whether an issue or pull request, open or closed, carries <paramref name="label"/>, conditional on
    /// <paramref name="etag"/>. <see cref="LabelCheck.Present"/> is null on a 304.
    /// </summary>
    public async Task<LabelCheck> AnyIssueLabelledAsync(string owner, string repo, string label, string? etag, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("issues").Query("state", "all").Query("labels", label).Query("per_page", "1");
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { IfNoneMatch = etag }, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new LabelCheck(null, etag);
        }

        var json = await GitHubHttp.ReadJsonAsync(response, ct);
        return new LabelCheck(json.ValueKind == JsonValueKind.Array && json.GetArrayLength() > 0, response.Headers.ETag?.ToString());
    }

    private static ListedFork ReadListedFork(JsonElement repo) => Parse(repo, r => new ListedFork(
        r.GetProperty("id").GetInt64(), r.GetProperty("owner").GetProperty("login").GetString()!, r.GetProperty("name").GetString()!,
        JsonText.Bool(r, "archived"), JsonText.Bool(r, "disabled")));
}

/// <summary>A fork as the forks list names it; <see cref="Id"/> stays when the fork is renamed.</summary>
internal sealed record ListedFork(long Id, string Owner, string Name, bool Archived, bool Disabled);

/// <summary>One page of forks; <see cref="Forks"/> null means 304, the page is as it was when <see cref="ETag"/> was kept.</summary>
internal sealed record ForksPage(IReadOnlyList<ListedFork>? Forks, string? ETag);

/// <summary>A conditional yes/no: <see cref="Present"/> null means 304, the answer kept with <see cref="ETag"/> still holds.</summary>
internal sealed record LabelCheck(bool? Present, string? ETag);
