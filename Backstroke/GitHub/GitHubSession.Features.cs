using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backstroke.GitHub;

/// <summary>The calls of the dashboard, the poller, classic webhooks and sign-in.</summary>
internal sealed partial class GitHubSession
{
    /// <summary>Branch lists are for a picker: ten pages of 100 are plenty and bound the rate-limit cost.</summary>
    private const int MaxBranchPages = 10;

    private static readonly IReadOnlySet<HttpStatusCode> Unseen =
        new HashSet<HttpStatusCode> { HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.MovedPermanently };

    /// <summary>
    /// Whether the token's user may push to the repository, from the repository's own <c>permissions</c>: one request,
    /// which anyone may make (the collaborator check needs push access to be asked at all). GitHub's scope headers
    /// come along, so a token lacking the scope the repository needs can be told apart.
    /// </summary>
    public async Task<PushAccess> GetPushAccessAsync(string owner, string repo, CancellationToken ct)
    {
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, GitHubPath.Repo(owner, repo)) { FollowRedirects = true, Expected = NotFound }, ct);
        var granted = ScopesOf(response, "X-OAuth-Scopes");
        var accepted = ScopesOf(response, "X-Accepted-OAuth-Scopes");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new PushAccess(Visible: false, Push: false, Private: false, granted, accepted);
        }

        var json = await GitHubHttp.ReadJsonAsync(response, ct);
        var push = json.TryGetProperty("permissions", out var permissions) && JsonText.Bool(permissions, "push");
        return new PushAccess(Visible: true, push, JsonText.Bool(json, "private"), granted, accepted);
    }

    /// <summary>The repository and its branches, or null when it does not exist, moved, or the token cannot see it.</summary>
    public async Task<RepoDetails?> GetRepoDetailsAsync(string owner, string repo, CancellationToken ct)
    {
        JsonElement info;
        using (var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, GitHubPath.Repo(owner, repo)) { Expected = Unseen }, ct))
        {
            if (Unseen.Contains(response.StatusCode))
            {
                return null;
            }

            info = await GitHubHttp.ReadJsonAsync(response, ct);
        }

        var branches = await http.GetPagesAsync(token, GitHubPath.Repo(owner, repo).Fixed("branches").Query("per_page", "100"), MaxBranchPages, ct);
        RepoParent? parent = null;
        if (info.TryGetProperty("parent", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            parent = new RepoParent(JsonText.Str(p, "owner", "login") ?? "", JsonText.Str(p, "name") ?? "", JsonText.Bool(p, "private"), JsonText.Str(p, "default_branch"));
        }

        return new RepoDetails(JsonText.Bool(info, "private"), JsonText.Bool(info, "fork"), parent, JsonText.Str(info, "default_branch"),
            [.. branches.Select(b => JsonText.Str(b, "name")).OfType<string>()]);
    }

    /// <summary>The repository's webhooks: where each delivers, whether it is on, and how its last delivery was
    /// answered (GitHub keeps <c>last_response</c> for 30 days). 404 (or 403) when the token does not administer it.</summary>
    public async Task<IReadOnlyList<HookInfo>> ListHooksAsync(string owner, string repo, CancellationToken ct)
    {
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, GitHubPath.Repo(owner, repo).Fixed("hooks")), ct);
        var hooks = await GitHubHttp.ReadJsonAsync(response, ct);
        return hooks.ValueKind == JsonValueKind.Array
            ? [.. hooks.EnumerateArray()
                .Where(h => JsonText.Str(h, "config", "url") is not null)
                .Select(h => new HookInfo(JsonText.Str(h, "config", "url")!, JsonText.Bool(h, "active"),
                    h.TryGetProperty("last_response", out var last) && last.ValueKind == JsonValueKind.Object
                        && last.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
                    JsonText.Str(h, "last_response", "status")))]
            : [];
    }

    /// <summary>Repositories read per user when asking which ones they administer: enough for a person, bounded for a bot.</summary>
    private const int MaxUserRepoPages = 10;

    /// <summary>
    /// The repositories the user may administer (<c>permissions.admin</c>), as <c>owner/name</c>: their own, and those
    /// of organizations and collaborations where GitHub gives them admin rights. At most the first 1,000 repositories.
    /// </summary>
    public async Task<IReadOnlyList<string>> AdministeredReposAsync(CancellationToken ct)
    {
        var repos = await http.GetPagesAsync(token, GitHubPath.Root("user").Fixed("repos").Query("per_page", "100"), MaxUserRepoPages, ct);
        return [.. repos.Where(r => r.TryGetProperty("permissions", out var p) && JsonText.Bool(p, "admin"))
            .Select(r => JsonText.Str(r, "full_name")).OfType<string>()];
    }

    public async Task CreateHookAsync(string owner, string repo, NewHook hook, CancellationToken ct)
    {
        var body = new HookBody("web", true, hook.Events, new HookConfig(hook.Url, "json", hook.Secret, "0"));
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Post, GitHubPath.Repo(owner, repo).Fixed("hooks")) { Body = body }, ct);
    }

    /// <summary>
    /// The head of a branch as a bare SHA (<c>application/vnd.github.sha</c>) with <c>If-None-Match</c>, so an
    /// unchanged branch costs a 304 and no rate limit. Redirects are not followed: a renamed repository is reported.
    /// </summary>
    public async Task<BranchHead> GetBranchHeadAsync(string owner, string repo, string branch, string? etag, CancellationToken ct)
    {
        var path = GitHubPath.Repo(owner, repo).Fixed("commits").Branch(branch);
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, path) { Accept = "application/vnd.github.sha", IfNoneMatch = etag }, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new BranchHead(null, etag);
        }

        var sha = (await response.Content.ReadAsStringAsync(ct)).Trim();
        return sha.Length is >= 40 and <= 64 && sha.All(char.IsAsciiHexDigit)
            ? new BranchHead(sha, response.Headers.ETag?.ToString())
            : throw new GitHubException(GitHubFailure.Transient, (int)response.StatusCode, "GitHub's answer was not a commit SHA.");
    }

    /// <summary>The parent of a fork, or null when it is not one.</summary>
    public async Task<NetworkRepo?> GetParentAsync(string owner, string repo, CancellationToken ct)
    {
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, GitHubPath.Repo(owner, repo)), ct);
        var json = await GitHubHttp.ReadJsonAsync(response, ct);
        return json.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object ? ReadNetworkRepo(parent) : null;
    }

    /// <summary>The first page of direct forks, as the original service took them.</summary>
    public async Task<IReadOnlyList<NetworkRepo>> FirstForksAsync(string owner, string repo, CancellationToken ct)
    {
        var forks = await http.GetPagesAsync(token, GitHubPath.Repo(owner, repo).Fixed("forks").Query("per_page", "100"), 1, ct);
        return [.. forks.Select(ReadNetworkRepo)];
    }

    /// <summary>The user the token belongs to (the sign-in's last step).</summary>
    public async Task<GitHubUser> GetUserAsync(CancellationToken ct)
    {
        using var response = await http.SendAsync(token, new GitHubCall(HttpMethod.Get, GitHubPath.Root("user")), ct);
        var profile = await GitHubHttp.ReadJsonAsync(response, ct);
        var scopes = response.Headers.TryGetValues("X-OAuth-Scopes", out var values) ? string.Join(",", values) : null;
        return Parse(profile, p => new GitHubUser(p.GetProperty("id").GetInt64(), JsonText.Str(p, "login") ?? "",
            JsonText.Str(p, "email"), JsonText.Str(p, "avatar_url"), scopes));
    }

    /// <summary>A comma-separated scope header, or null when GitHub sent none (App and fine-grained tokens have no scopes).</summary>
    private static IReadOnlyList<string>? ScopesOf(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
            ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
            : null;

    private static NetworkRepo ReadNetworkRepo(JsonElement repo) => Parse(repo, r => new NetworkRepo(
        r.GetProperty("owner").GetProperty("login").GetString()!, r.GetProperty("name").GetString()!, r.GetProperty("default_branch").GetString()!));

    private sealed record HookBody(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("active")] bool Active,
        [property: JsonPropertyName("events")] IReadOnlyList<string> Events,
        [property: JsonPropertyName("config")] HookConfig Config);

    private sealed record HookConfig(
        [property: JsonPropertyName("url")] string Url,
        [property: JsonPropertyName("content_type")] string ContentType,
        [property: JsonPropertyName("secret")] string Secret,
        [property: JsonPropertyName("insecure_ssl")] string InsecureSsl);
}
