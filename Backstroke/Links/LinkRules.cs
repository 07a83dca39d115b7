using Backstroke.Data;
using Backstroke.GitHub;

namespace Backstroke.Links;

/// <summary>The checks a link's fields must pass before anything is asked of GitHub; the name rules are the gateway's own.</summary>
internal static class LinkRules
{
    public const int MaxNameLength = 100;

    public static List<FieldError> Validate(LinkChanges changes, Link current)
    {
        var errors = new List<FieldError>();
        var name = changes.Name ?? current.Name;
        if (name.Length > MaxNameLength)
        {
            errors.Add(new(LinkFields.Name, $"The name can be at most {MaxNameLength} characters long."));
        }

        if ((changes.Enabled ?? current.Enabled) && string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new(LinkFields.Name, "Give the link a name before enabling it."));
        }

        CheckRepo(errors, "upstream", changes.UpstreamOwner, changes.UpstreamRepo, changes.UpstreamBranch,
            LinkFields.UpstreamOwner, LinkFields.UpstreamRepo, LinkFields.UpstreamBranch);
        if (changes.ForkType == ForkType.Repo)
        {
            CheckRepo(errors, "fork", changes.ForkOwner, changes.ForkRepo, changes.ForkBranch,
                LinkFields.ForkOwner, LinkFields.ForkRepo, LinkFields.ForkBranch);
            if (errors.Count == 0
                && string.Equals(changes.UpstreamOwner, changes.ForkOwner, StringComparison.OrdinalIgnoreCase)
                && string.Equals(changes.UpstreamRepo, changes.ForkRepo, StringComparison.OrdinalIgnoreCase)
                && string.Equals(changes.UpstreamBranch, changes.ForkBranch, StringComparison.Ordinal))
            {
                errors.Add(new(LinkFields.ForkBranch, "The fork can't be the upstream itself: pick another repository or branch."));
            }
        }

        return errors;
    }

    public static bool IsOwner(string? value) => GitHubNames.IsOwner(value);

    public static bool IsRepo(string? value) => GitHubNames.IsRepo(value);

    public static bool IsBranch(string? value) => GitHubNames.IsBranch(value);

    private static void CheckRepo(List<FieldError> errors, string side, string? owner, string? repo, string? branch, string ownerField, string repoField, string branchField)
    {
        if (string.IsNullOrWhiteSpace(owner))
        {
            errors.Add(new(ownerField, $"The {side} needs an owner (a user or organization)."));
        }
        else if (!IsOwner(owner))
        {
            errors.Add(new(ownerField, $"The {side} owner '{GitHubNames.Shown(owner)}' is not a valid GitHub user or organization name."));
        }

        if (string.IsNullOrWhiteSpace(repo))
        {
            errors.Add(new(repoField, $"The {side} needs a repository."));
        }
        else if (!IsRepo(repo))
        {
            errors.Add(new(repoField, $"The {side} repository '{GitHubNames.Shown(repo)}' is not a valid repository name."));
        }

        if (string.IsNullOrWhiteSpace(branch))
        {
            errors.Add(new(branchField, $"The {side} needs a branch."));
        }
        else if (GitHubNames.BranchProblem(branch) is { } problem)
        {
            errors.Add(new(branchField, $"The {side} branch '{GitHubNames.Shown(branch)}' is not a valid branch name: {problem}."));
        }
    }
}
