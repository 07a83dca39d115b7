using System.Text;

namespace Backstroke.GitHub;

/// <summary>
/// A GitHub API path built one segment at a time. Every name is checked (<see cref="GitHubNames"/>) and escaped on
/// its own, so no name can add a segment, climb out of one, start a query or end the path: <c>%</c> becomes
/// <c>%25</c>, <c>/</c> <c>%2F</c>, and a branch keeps only the slashes between its own parts. The fixed words of
/// a route are the only text that goes in as it is.
/// </summary>
internal sealed class GitHubPath
{
    private readonly StringBuilder path = new();
    private readonly List<string> query = [];

    private GitHubPath()
    {
    }

    /// <summary><c>repos/{owner}/{repo}</c>, the root of every repository call.</summary>
    public static GitHubPath Repo(string owner, string repo) =>
        new GitHubPath().Fixed("repos").Owner(owner).Name(GitHubNames.RequireRepo(repo));

    /// <summary>A path of fixed words only, such as <c>user</c>.</summary>
    public static GitHubPath Root(string word) => new GitHubPath().Fixed(word);

    /// <summary>A word of the route itself (<c>pulls</c>, <c>git</c>): never user input.</summary>
    public GitHubPath Fixed(string word)
    {
        if (word.Length == 0 || word.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"'{word}' is not a fixed route word.", nameof(word));
        }

        return Append(word);
    }

    public GitHubPath Owner(string owner) => Name(GitHubNames.RequireOwner(owner));

    /// <summary>A branch, as the routes that take a ref at their end expect it: its parts escaped, its slashes kept.</summary>
    public GitHubPath Branch(string branch) => Append(EscapeBranch(branch));

    /// <summary>One segment from any text (a label, a login): escaped whole, so it stays one segment.</summary>
    public GitHubPath Name(string value) => Append(Segment(value));

    /// <summary>
    /// <c>{base}...{owner}:{head}</c>, the one segment of a compare across a fork network, or
    /// <c>{base}...{owner}:{repo}:{head}</c> when <paramref name="headRepo"/> is given: the form GitHub uses for two
    /// repositories of one owner (github/docs issue 34381).
    /// </summary>
    public GitHubPath Compare(string @base, string headOwner, string? headRepo, string head) =>
        Append(EscapeBranch(@base) + "..." + Segment(GitHubNames.RequireOwner(headOwner)) + ":"
            + (headRepo is null ? "" : Segment(GitHubNames.RequireRepo(headRepo)) + ":") + EscapeBranch(head));

    public GitHubPath Query(string name, string value)
    {
        query.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        return this;
    }

    /// <summary>The relative path with its query, exactly as it goes on the wire.</summary>
    public override string ToString() => query.Count == 0 ? path.ToString() : path + "?" + string.Join('&', query);

    /// <summary>A branch with each of its parts escaped on its own, after the ref-name rules have been checked.</summary>
    public static string EscapeBranch(string branch) =>
        string.Join('/', GitHubNames.RequireBranch(branch).Split('/').Select(Segment));

    private static string Segment(string value)
    {
        // "." and ".." are the two segments escaping cannot defuse: URI parsers remove them, escaped or not.
        if (value is "" or "." or "..")
        {
            throw GitHubException.Invalid($"'{value}' can't be part of a GitHub address.");
        }

        return Uri.EscapeDataString(value);
    }

    private GitHubPath Append(string segment)
    {
        if (path.Length > 0)
        {
            path.Append('/');
        }

        path.Append(segment);
        return this;
    }
}
