using Backstroke.Data;

namespace Backstroke.Links;

/// <summary>
/// Asks GitHub whether both ends of a link exist, repositories and branches, as the user sees them, so that a save or
/// an enable that GitHub would contradict says so beside the field at fault instead of failing at the first sync.
/// </summary>
internal static class LinkEnds
{
    public static async Task<List<FieldError>> MissingAsync(GitHubRepos github, string token, LinkChanges changes, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        await CheckAsync(github, token, changes.UpstreamOwner, changes.UpstreamRepo, changes.UpstreamBranch,
            LinkFields.UpstreamRepo, LinkFields.UpstreamBranch, errors, ct);
        if (changes.ForkType == ForkType.Repo)
        {
            await CheckAsync(github, token, changes.ForkOwner, changes.ForkRepo, changes.ForkBranch, LinkFields.ForkRepo, LinkFields.ForkBranch, errors, ct);
        }

        return errors;
    }

    public static LinkChanges Of(Link link) => new()
    {
        Name = link.Name,
        Enabled = link.Enabled,
        UpstreamOwner = link.UpstreamOwner,
        UpstreamRepo = link.UpstreamRepo,
        UpstreamBranch = link.UpstreamBranch,
        ForkType = link.ForkType,
        ForkOwner = link.ForkOwner,
        ForkRepo = link.ForkRepo,
        ForkBranch = link.ForkBranch,
        SyncMode = link.SyncMode,
    };

    private static async Task CheckAsync(
        GitHubRepos github, string token, string? owner, string? repo, string? branch, string repoField, string branchField, List<FieldError> errors, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(owner) || string.IsNullOrEmpty(repo))
        {
            return;
        }

        if (await github.GetAsync(token, owner, repo, ct) is not { } details)
        {
            errors.Add(new(repoField, $"Repository {owner}/{repo} doesn't exist, or your GitHub account cannot see it."));
            return;
        }

        // The branch list stops at a thousand; past that, a branch not in it may still exist, and the sync will tell.
        if (!string.IsNullOrEmpty(branch) && details.Branches.Count < 1000 && !details.Branches.Contains(branch, StringComparer.Ordinal))
        {
            errors.Add(new(branchField, $"Branch {branch} doesn't exist on repository {owner}/{repo}."));
        }
    }
}
