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
}

/// <summary>The sentences of SPEC §3, in one place so that tests and the dashboard see the same words.</summary>
internal static class SyncMessages
{
    public const string UpToDate = "The upstream and fork are already up to date.";
    public const string PullRequestAlreadyOpen = "A Backstroke pull request is already open on the fork.";
    public const string OptedOut = "This repo opted out of backstroke pull requests";
    public const string NotOptedIn = "Fork didn't opt into pull requests";
    public const string LinkDisabled = "Link is not enabled.";
    public const string LinkIncomplete = "Please define both an upstream and fork on this link.";
    public const string InstallationSuspended = "The GitHub App's installation is suspended; the link waits until it is unsuspended.";
    public const string NoToken = "The link's owner has no usable GitHub token; they need to sign in to Backstroke again.";

    public static string RepoMissing(string fullName) => $"Repository {fullName} doesn't exist.";

    public static string BranchMissing(BranchRef branch) => $"Branch {branch.Branch} doesn't exist on repository {branch.FullName}.";

    public static string Archived(string fullName) => $"The fork {fullName} is archived.";

    public static string PullRequestCreated(string fullName) => $"Successfully created pull request on {fullName}.";

    public static string FastForwarded(BranchRef fork, BranchRef upstream) =>
        $"Fast-forwarded {fork.FullName}@{fork.Branch} to {upstream.FullName}@{upstream.Branch}.";

    public static string PullRequestFailed(string fullName, string gitHubMessage) =>
        $"Couldn't create pull request on repository {fullName}: {gitHubMessage}";

    public static string PullRequestTitle(BranchRef upstream) => $"Update from upstream repo {upstream.FullName}@{upstream.Branch}";
}
