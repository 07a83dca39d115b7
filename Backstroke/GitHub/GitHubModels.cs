namespace Backstroke.GitHub;

/// <summary>The little Backstroke needs to know about a repository.</summary>
internal sealed record RepoInfo(string Owner, string Name, bool Archived);

internal sealed record PullRequestRef(int Number, string Url);

/// <summary>How a head compares with a base: <c>identical</c>, <c>ahead</c>, <c>behind</c> or <c>diverged</c>
/// (of the head relative to the base). <see cref="HeadSha"/> is null when the compare listed too few commits to say.</summary>
internal sealed record Comparison(string Status, int AheadBy, int BehindBy, string? HeadSha);
