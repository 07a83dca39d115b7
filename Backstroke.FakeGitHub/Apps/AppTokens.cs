using System.Security.Cryptography;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>Installation access tokens: issued, found, and what they reach.</summary>
internal sealed partial class AppRegistry
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// POST /app/installations/{id}/access_tokens (REST "Create an installation access token for an app"): the token
    /// reaches the installation's repositories, or the named ones (all of which it must cover: otherwise 422), with the
    /// installation's permissions, or fewer (asking for more than it was granted is a 422 too).
    /// </summary>
    public InstallationToken IssueToken(Installation installation, IReadOnlyList<string>? names, IReadOnlyList<long>? ids,
        IReadOnlyDictionary<string, string>? permissions)
    {
        lock (state.Gate)
        {
            if (installation.SuspendedAt is not null)
            {
                throw new FakeGitHubException(403, Suspended);
            }

            HashSet<long>? repos = null;
            if (names is { Count: > 0 } || ids is { Count: > 0 })
            {
                repos = [];
                foreach (var name in names ?? [])
                {
                    repos.Add(Covered(installation, state.FindRepo(installation.Account.Login, name)));
                }

                foreach (var id in ids ?? [])
                {
                    repos.Add(Covered(installation, state.FindRepo(id)));
                }
            }

            var granted = installation.Permissions;
            var effective = new Dictionary<string, string>(granted, StringComparer.Ordinal);
            if (permissions is { Count: > 0 })
            {
                effective.Clear();
                foreach (var (name, level) in permissions)
                {
                    if (granted.GetValueOrDefault(name) is not { } has || (level == "write" && has == "read"))
                    {
                        throw new FakeGitHubException(422, "The permissions requested are not granted to this installation.");
                    }

                    effective[name] = level;
                }

                // metadata: read comes with every token.
                effective.TryAdd("metadata", "read");
            }

            // GitHub's tokens grow past 40 characters (REST docs: the stateless ghs_ format), so they are long here too.
            var token = new InstallationToken("ghs_" + RandomNumberGenerator.GetString(Alphabet, 72), installation, state.Now + TokenLifetime)
            {
                Repositories = repos,
                Permissions = effective,
            };
            _tokens[token.Token] = token;
            return token;
        }
    }

    /// <summary>
    /// The message for a narrowed repository the installation does not cover (octokit/auth-app.js and
    /// create-github-app-token users quote it in their issues).
    /// </summary>
    private static long Covered(Installation installation, Repo? repo) =>
        repo is not null && installation.Covers(repo)
            ? repo.Id
            : throw new FakeGitHubException(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");

    /// <summary>The 403 for a suspended installation's tokens and token requests.</summary>
    public const string Suspended = "This installation has been suspended";

    /// <summary>
    /// The grant of a live installation token, or null (unknown, expired or uninstalled: the pipeline answers 401 "Bad
    /// credentials", as the access-token docs say an expired token does).
    /// </summary>
    public TokenGrant? FindToken(string token)
    {
        lock (state.Gate)
        {
            if (!_tokens.TryGetValue(token, out var t) || t.Installation.Deleted)
            {
                return null;
            }

            if (state.Now >= t.ExpiresAt)
            {
                _tokens.Remove(token);
                return null;
            }

            // Workflow files may change only with workflows: write, which then acts as the OAuth workflow scope does.
            return new TokenGrant(token, t.Installation.App.Bot.Login, t.Allows("workflows", write: true) ? ["workflow"] : []) { Installation = t };
        }
    }

    /// <summary>
    /// What an installation token may do in a repository: its installation's repositories by its permissions; any
    /// other public repository read only (installation tokens read public data, as GITHUB_TOKEN reads other public
    /// repositories); a private one outside the installation not at all, which answers 404.
    /// </summary>
    public string? PermissionOf(InstallationToken token, Repo repo)
    {
        if (!token.Covers(repo))
        {
            return repo.Private ? null : "read";
        }

        return token.Allows("administration", write: true) ? "admin" : token.Allows("contents", write: true) ? "write" : "read";
    }
}
