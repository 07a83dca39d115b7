using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Backstroke.GitHub;

/// <summary>
/// Installation tokens, obtained with the App's JWT and kept in memory only (never on disk, never logged) until a few
/// minutes before they expire. Each token spends its installation's rate-limit budget, as on GitHub.
/// </summary>
internal sealed class InstallationTokens(GitHubClients clients, AppJwt jwt, RateLimitBudgets budgets, TimeProvider time)
{
    /// <summary>A token this close to its end is replaced: a sync that starts with it must be able to finish.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<long, Issued> cache = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> gates = new();

    /// <summary>A token of the installation, from the cache while it has time left, else a fresh one.</summary>
    public async Task<string> ForAsync(long installationId, CancellationToken ct)
    {
        if (Fresh(installationId) is { } cached)
        {
            return cached;
        }

        if (!jwt.Configured)
        {
            // Links an installation made outlive a configuration without the App: they fail with a reason, not a crash.
            throw new GitHubException(GitHubFailure.InstallationUnavailable, null, "This Backstroke has no GitHub:AppId and App key, so it cannot act as the GitHub App's installation.");
        }

        var gate = gates.GetOrAdd(installationId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (Fresh(installationId) is { } raced)
            {
                return raced;
            }

            var path = GitHubPath.Root("app").Fixed("installations").Fixed(installationId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Fixed("access_tokens");
            using var response = await SendAsync(installationId, path, ct);
            var json = await GitHubHttp.ReadJsonAsync(response, ct);
            var token = JsonText.Str(json, "token") ?? throw new GitHubException(GitHubFailure.Transient, (int)response.StatusCode, "GitHub's installation token answer had no token.");
            // GitHub says when the token ends on its own clock: its lifetime (never more than the documented hour) is
            // measured on ours from GitHub's Date. A token refused anyway is replaced by RunAsync.
            var lifetime = JsonText.Str(json, "expires_at") is { } expires && response.Headers.Date is { } sent
                && DateTimeOffset.TryParse(expires, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var end)
                && end - sent < Hour
                ? end - sent
                : Hour;
            var previous = cache.TryGetValue(installationId, out var old) ? old.Token : null;
            budgets.Alias(token, installationId, previous);
            cache[installationId] = new Issued(token, time.GetUtcNow() + lifetime);
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Asks for a token. GitHub answers 404 for an installation that was removed (its webhook may not have arrived)
    /// and 403 for a suspended one: both are said in words, as nothing is worth retrying until the App is back.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(long installationId, GitHubPath path, CancellationToken ct)
    {
        try
        {
            return await clients.Http.SendAsync(jwt.Create(), new GitHubCall(HttpMethod.Post, path), ct);
        }
        catch (GitHubException gone) when (gone.Kind == GitHubFailure.NotFound)
        {
            throw new GitHubException(GitHubFailure.InstallationUnavailable, gone.Status,
                $"The GitHub App's installation {installationId} was removed on GitHub.");
        }
        catch (GitHubException suspended) when (suspended.Kind == GitHubFailure.Forbidden)
        {
            throw new GitHubException(GitHubFailure.InstallationUnavailable, suspended.Status,
                $"GitHub gives no token for the GitHub App's installation {installationId} ({suspended.Status} {suspended.Describe()}); it may be suspended.");
        }
    }

    /// <summary>Drops the installation's token (GitHub refused it, or the installation is gone).</summary>
    public void Forget(long installationId) => cache.TryRemove(installationId, out _);

    /// <summary>
    /// Runs <paramref name="work"/> with a token of the installation. A token GitHub no longer accepts (it expired
    /// early by GitHub's clock, or was revoked) is replaced once and the work runs again from its start.
    /// </summary>
    public async Task<T> RunAsync<T>(long installationId, Func<string, Task<T>> work, CancellationToken ct)
    {
        var token = await ForAsync(installationId, ct);
        try
        {
            return await work(token);
        }
        catch (GitHubException refused) when (refused.Kind == GitHubFailure.BadCredentials)
        {
            Forget(installationId);
            return await work(await ForAsync(installationId, ct));
        }
    }

    /// <summary>Every installation of the App (JWT), page by page.</summary>
    public async Task<IReadOnlyList<AppInstallation>> ListInstallationsAsync(CancellationToken ct)
    {
        var items = await clients.Http.GetPagesAsync(jwt.Create(), GitHubPath.Root("app").Fixed("installations").Query("per_page", "100"), 100, ct);
        return [.. items.Select(i => new AppInstallation(
            JsonText.Long(i, "id") ?? 0,
            JsonText.Str(i, "account", "login") ?? "",
            JsonText.Str(i, "repository_selection") ?? "selected",
            i.TryGetProperty("suspended_at", out var s) && s.ValueKind == JsonValueKind.String)).Where(i => i.Id > 0)];
    }

    /// <summary>The repositories an installation token reaches (<c>GET /installation/repositories</c>, an object per page).</summary>
    public async Task<IReadOnlyList<InstallationRepo>> ListRepositoriesAsync(string token, CancellationToken ct)
    {
        const int perPage = 100;
        var repos = new List<InstallationRepo>();
        for (var page = 1; page <= 100; page++)
        {
            var path = GitHubPath.Root("installation").Fixed("repositories").Query("per_page", perPage.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Query("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await clients.Http.SendAsync(token, new GitHubCall(HttpMethod.Get, path), ct);
            var json = await GitHubHttp.ReadJsonAsync(response, ct);
            var list = json.TryGetProperty("repositories", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [];
            repos.AddRange(list.Select(Repo).OfType<InstallationRepo>());
            if (list.Count < perPage || response.StatusCode != HttpStatusCode.OK)
            {
                break;
            }
        }

        return repos;
    }

    /// <summary>A repository object of GitHub's (webhook or API); null without the fields Backstroke needs.</summary>
    public static InstallationRepo? Repo(JsonElement repo)
    {
        var fullName = JsonText.Str(repo, "full_name");
        var slash = fullName?.IndexOf('/') ?? -1;
        return JsonText.Long(repo, "id") is { } id && slash > 0
            ? new InstallationRepo(id, fullName![..slash], fullName[(slash + 1)..], JsonText.Bool(repo, "fork"))
            : null;
    }

    private string? Fresh(long installationId) =>
        cache.TryGetValue(installationId, out var issued) && issued.ExpiresAt - RenewBefore > time.GetUtcNow() ? issued.Token : null;

    private sealed record Issued(string Token, DateTimeOffset ExpiresAt);
}

internal sealed record AppInstallation(long Id, string Account, string RepositorySelection, bool Suspended);

internal sealed record InstallationRepo(long Id, string Owner, string Name, bool Fork);
