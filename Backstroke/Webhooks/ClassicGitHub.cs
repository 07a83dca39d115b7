using Backstroke.GitHub;

namespace Backstroke.Webhooks;

/// <summary>
/// The two reads classic webhooks make: a fork's parent and the first page of a repository's forks. Both come from
/// a push payload, so the names are GitHub's word and the gateway checks them like any other.
/// </summary>
internal sealed class ClassicGitHub(GitHubClients github)
{
    /// <summary>The parent of <paramref name="owner"/>/<paramref name="repo"/>, or null when it is not a fork.</summary>
    public Task<NetworkRepo?> ParentAsync(string token, string owner, string repo, CancellationToken ct) =>
        github.For(token).GetParentAsync(owner, repo, ct);

    /// <summary>The first page of direct forks, as the original service took them.</summary>
    public Task<IReadOnlyList<NetworkRepo>> FirstForksAsync(string token, string owner, string repo, CancellationToken ct) =>
        github.For(token).FirstForksAsync(owner, repo, ct);
}
