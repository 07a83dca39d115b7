namespace Backstroke.Links;

/// <summary>Reads what people paste for a repository: <c>owner/repo</c>, or a github.com (or Enterprise) URL.</summary>
internal static class RepoNames
{
    /// <summary>Owner and repository (and the branch of a <c>/tree/BRANCH</c> URL), or null when it is neither form.</summary>
    public static (string Owner, string Repo, string? Branch)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        string path;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            path = uri.AbsolutePath;
        }
        else if (value.StartsWith("github.com/", StringComparison.OrdinalIgnoreCase) || value.StartsWith("www.github.com/", StringComparison.OrdinalIgnoreCase))
        {
            path = value[(value.IndexOf('/', StringComparison.Ordinal) + 1)..];
        }
        else if (value.StartsWith("git@", StringComparison.Ordinal) && value.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
        {
            path = value[(colon + 1)..];
        }
        else
        {
            path = value;
        }

        // Other pages of a repository (/pulls, /issues/3) still name it; /tree/BRANCH also names a branch.
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 2)
        {
            return null;
        }

        var owner = parts[0];
        var repo = parts[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? parts[1][..^4] : parts[1];
        string? branch = parts.Length >= 4 && parts[2] == "tree" ? Uri.UnescapeDataString(string.Join('/', parts[3..])) : null;
        if (!LinkRules.IsOwner(owner) || !LinkRules.IsRepo(repo))
        {
            return null;
        }

        return (owner, repo, branch);
    }
}
