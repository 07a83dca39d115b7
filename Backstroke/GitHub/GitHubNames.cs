using System.Text;
using System.Text.RegularExpressions;

namespace Backstroke.GitHub;

/// <summary>
/// The one rule set for the names that go into GitHub URLs: owners, repositories and branches. The links API checks
/// them to answer with a sentence, and the gateway checks them again before every request, because a name can also
/// come from the database or from GitHub itself (fork lists, webhook payloads) and must not steer a request either.
/// </summary>
internal static partial class GitHubNames
{
    /// <summary>Git allows longer ref names, but GitHub refuses branch names past 255 bytes.</summary>
    public const int MaxBranchBytes = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsOwner(string? value) => value is not null && OwnerPattern().IsMatch(value);

    public static bool IsRepo(string? value) => value is not null && value is not ("." or "..") && RepoPattern().IsMatch(value);

    public static bool IsBranch(string? value) => BranchProblem(value) is null;

    /// <summary>Why <paramref name="value"/> is not a branch name git (and so GitHub) would accept, or null when it is one.</summary>
    public static string? BranchProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty";
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return "it is not valid text";
        }

        if (bytes > MaxBranchBytes)
        {
            return $"it is longer than {MaxBranchBytes} bytes";
        }

        if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "it contains a space or a control character";
        }

        if (value.IndexOfAny(['~', '^', ':', '?', '*', '[', '\\']) >= 0)
        {
            return "it contains one of ~ ^ : ? * [ \\";
        }

        if (value.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        if (value.Contains("@{", StringComparison.Ordinal) || value == "@")
        {
            return "it contains '@{' or is '@'";
        }

        // Percent-escapes are where a name turns into a path: %2e%2e decodes to "..", %2F to "/". No real branch
        // needs one, so refusing them all keeps every decoding of the name harmless.
        if (PercentEscape().IsMatch(value))
        {
            return "it contains a percent-escape such as %2F";
        }

        if (value[0] == '-')
        {
            return "it starts with '-'";
        }

        foreach (var component in value.Split('/'))
        {
            if (component.Length == 0)
            {
                return "it starts or ends with '/' or contains '//'";
            }

            if (component[0] == '.' || component.EndsWith('.') || component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return "a part of it starts or ends with '.' or ends with '.lock'";
            }
        }

        return null;
    }

    /// <summary>Throws the gateway's validation failure unless <paramref name="value"/> is an owner (user or organization) name.</summary>
    public static string RequireOwner(string? value) =>
        IsOwner(value) ? value! : throw GitHubException.Invalid($"'{Shown(value)}' is not a valid GitHub user or organization name.");

    public static string RequireRepo(string? value) =>
        IsRepo(value) ? value! : throw GitHubException.Invalid($"'{Shown(value)}' is not a valid repository name.");

    public static string RequireBranch(string? value) =>
        BranchProblem(value) is { } problem ? throw GitHubException.Invalid($"'{Shown(value)}' is not a valid branch name: {problem}.") : value!;

    /// <summary>A name as a sentence may quote it: bounded, so a 255-byte name does not fill the page.</summary>
    public static string Shown(string? value) => value is null ? "" : value.Length <= 80 ? value : value[..(char.IsHighSurrogate(value[79]) ? 79 : 80)] + "…";

    // GitHub logins: letters, digits and hyphens; Enterprise servers also allow underscores.
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})$")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepoPattern();

    [GeneratedRegex("%[0-9A-Fa-f]{2}")]
    private static partial Regex PercentEscape();
}
