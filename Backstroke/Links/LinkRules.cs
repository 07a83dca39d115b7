using System.Text.RegularExpressions;
using Backstroke.Data;

namespace Backstroke.Links;

/// <summary>The checks a link's fields must pass before anything is asked of GitHub.</summary>
internal static partial class LinkRules
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

    public static bool IsOwner(string? value) => value is not null && OwnerPattern().IsMatch(value);

    public static bool IsRepo(string? value) => value is not null && value is not ("." or "..") && RepoPattern().IsMatch(value);

    /// <summary>Git's ref name rules, as far as a branch name can break them.</summary>
    public static bool IsBranch(string? value) =>
        value is { Length: > 0 and <= 255 }
        && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')
        && !value.Contains("..", StringComparison.Ordinal) && !value.Contains("@{", StringComparison.Ordinal)
        && !value.Contains("//", StringComparison.Ordinal)
        && value[0] is not ('/' or '.' or '-') && value[^1] is not ('/' or '.')
        && !value.EndsWith(".lock", StringComparison.Ordinal) && value != "@";

    private static void CheckRepo(List<FieldError> errors, string side, string? owner, string? repo, string? branch, string ownerField, string repoField, string branchField)
    {
        if (string.IsNullOrWhiteSpace(owner))
        {
            errors.Add(new(ownerField, $"The {side} needs an owner (a user or organization)."));
        }
        else if (!IsOwner(owner))
        {
            errors.Add(new(ownerField, $"'{owner}' is not a valid GitHub user or organization name."));
        }

        if (string.IsNullOrWhiteSpace(repo))
        {
            errors.Add(new(repoField, $"The {side} needs a repository."));
        }
        else if (!IsRepo(repo))
        {
            errors.Add(new(repoField, $"'{repo}' is not a valid repository name."));
        }

        if (string.IsNullOrWhiteSpace(branch))
        {
            errors.Add(new(branchField, $"The {side} needs a branch."));
        }
        else if (!IsBranch(branch))
        {
            errors.Add(new(branchField, $"'{branch}' is not a valid branch name."));
        }
    }

    // GitHub logins: letters, digits and hyphens; Enterprise servers also allow underscores.
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})$")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepoPattern();
}
