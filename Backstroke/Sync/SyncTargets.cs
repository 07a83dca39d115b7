using Backstroke.GitHub;

namespace Backstroke.Sync;

/// <summary>A branch of a repository.</summary>
internal sealed record BranchRef(string Owner, string Repo, string Branch)
{
    public string FullName => $"{Owner}/{Repo}";
}

/// <summary>What happened to one fork: ok (something done, or nothing to do) or an error, with a sentence.</summary>
internal sealed record TargetResult(bool Ok, string Message, PullRequestRef? PullRequest = null, string? MergeType = null)
{
    public static TargetResult Done(string message, PullRequestRef? pullRequest = null, string? mergeType = null) =>
        new(true, message, pullRequest, mergeType);

    public static TargetResult Failed(string message) => new(false, message);

    /// <summary>The same result, its sentence followed by <paramref name="why"/> (why it is not what was asked for).</summary>
    public TargetResult Because(string? why) => why is null ? this : this with { Message = $"{Message} {why}" };
}

/// <summary>The sentences of docs/sync-rules.md, in one place so that tests and the dashboard see the same words.</summary>
internal static class SyncMessages
{
    public const string UpToDate = "The upstream and fork are already up to date.";
    public const string PullRequestAlreadyOpen = "A Backstroke pull request is already open on the fork.";
    public const string OptedOut = "This repo opted out of backstroke pull requests";
    public const string NotOptedIn = "Fork didn't opt into pull requests";
    public const string NothingNew = "Nothing new upstream since this fork was last synced.";
    public const string LinkDisabled = "Link is not enabled.";
    public const string LinkIncomplete = "Please define both an upstream and fork on this link.";
    public const string InstallationSuspended = "The GitHub App's installation is suspended; the link waits until it is unsuspended.";
    public const string NoToken = "The link's owner has no usable GitHub token; they need to sign in to Backstroke again.";

    public static string InstallationUnavailable(string why, string account) =>
        $"{why} The link waits until the GitHub App is installed on {account} again.";

    public static string RepoMissing(string fullName) => $"Repository {fullName} doesn't exist.";

    public static string BranchMissing(BranchRef branch) => $"Branch {branch.Branch} doesn't exist on repository {branch.FullName}.";

    public static string Archived(string fullName) => $"The fork {fullName} is archived.";

    public static string PullRequestCreated(string fullName) => $"Successfully created pull request on {fullName}.";

    /// <summary>Names the commit the fork now points at by its short SHA, as GitHub shows commits.</summary>
    public static string FastForwarded(BranchRef fork, BranchRef upstream, string sha) =>
        $"Fast-forwarded {fork.FullName}@{fork.Branch} to {upstream.FullName}@{upstream.Branch} at {sha[..Math.Min(7, sha.Length)]}.";

    public static string PullRequestFailed(string fullName, string gitHubMessage) =>
        $"Couldn't create pull request on repository {fullName}: {gitHubMessage}";

    public static string PullRequestTitle(BranchRef upstream) => $"Update from upstream repo {upstream.FullName}@{upstream.Branch}";

    /// <summary>GitHub refuses every call to a blocked repository: 451 for a legal takedown, 403 otherwise (its terms
    /// of service, an organization's SAML enforcement).</summary>
    public static string Blocked(string role, string fullName, GitHubException refusal) => refusal.Status == 451
        ? $"GitHub blocks access to the {role} {fullName} for legal reasons, such as a DMCA takedown (451 {refusal.Describe()})."
        : $"GitHub refuses access to the {role} {fullName} ({refusal.Status} {refusal.Describe()}).";

    /// <summary>A fork GitHub lists as <c>disabled</c>: every call to it would be refused, so none is made.</summary>
    public static string Disabled(string fullName) =>
        $"GitHub has disabled the fork {fullName} (it blocks a repository for a DMCA takedown or its terms of service), so Backstroke left it alone.";

    public static string UnrelatedHistories(BranchRef fork, BranchRef upstream, string gitHubMessage) =>
        PullRequestFailed(fork.FullName,
            $"{fork.FullName}@{fork.Branch} and {upstream.FullName}@{upstream.Branch} have unrelated histories (not one commit in common), so neither can be merged into the other (GitHub said: {gitHubMessage}).");

    /// <summary>Why a fast-forward link got a pull request instead, added to that pull request's sentence.</summary>
    public static string NotFastForwarded(string why) => $"Not fast-forwarded: {why}.";

    public static string RefRefused(BranchRef fork, BranchRef upstream, GitHubException refusal) => refusal switch
    {
        { Kind: GitHubFailure.NeedsScope } or { Status: 404 } =>
            $"GitHub refused to move {fork.FullName}@{fork.Branch} ({refusal.Status} {refusal.Describe()}), as it does when the upstream changed workflow files (.github/workflows/) and the token Backstroke writes with lacks the `workflow` scope, or when that token may not push to {fork.FullName}",
        { Status: 422 } when refusal.Mentions("fast forward") =>
            $"GitHub refused to move {fork.FullName}@{fork.Branch} because it is no longer behind {upstream.FullName}@{upstream.Branch} ({refusal.Status} {refusal.Describe()})",
        _ => $"GitHub refused to move {fork.FullName}@{fork.Branch} ({refusal.Status} {refusal.Describe()})",
    };

    public static string CompareRefused(BranchRef fork, BranchRef upstream, GitHubException refusal) =>
        $"GitHub could not compare {fork.FullName}@{fork.Branch} with {upstream.FullName}@{upstream.Branch} (GitHub said: {refusal.Describe()})";
}
