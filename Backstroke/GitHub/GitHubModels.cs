namespace Backstroke.GitHub;

/// <summary>The little Backstroke needs to know about a repository. <see cref="Disabled"/>: GitHub blocks it (a DMCA
/// takedown, its terms of service), yet still lists it among forks.</summary>
internal sealed record RepoInfo(string Owner, string Name, bool Archived, bool Disabled = false);

internal sealed record PullRequestRef(int Number, string Url);

/// <summary>How a head compares with a base: <c>identical</c>, <c>ahead</c>, <c>behind</c> or <c>diverged</c>
/// (of the head relative to the base). <see cref="HeadSha"/> is null when the compare listed too few commits to say.</summary>
internal sealed record Comparison(string Status, int AheadBy, int BehindBy, string? HeadSha);

internal sealed record RepoParent(string Owner, string Name, bool Private, string? DefaultBranch);

/// <summary>What the link page shows about a repository it names.</summary>
internal sealed record RepoDetails(bool Private, bool Fork, RepoParent? Parent, string? DefaultBranch, IReadOnlyList<string> Branches);

/// <summary>A repository's place in its fork network, as classic webhooks need it.</summary>
internal sealed record NetworkRepo(string Owner, string Name, string DefaultBranch);

/// <summary>A branch head: <see cref="Sha"/> null means GitHub answered 304, the stored ETag still matches.</summary>
internal sealed record BranchHead(string? Sha, string? ETag);

/// <summary>Who a token belongs to, and the scopes GitHub says it carries (<c>X-OAuth-Scopes</c>, null when not said).</summary>
internal sealed record GitHubUser(long Id, string Login, string? Email, string? AvatarUrl, string? Scopes);

/// <summary>The repository webhook Backstroke installs: where it delivers, which events, signed with which secret.</summary>
/// <summary>A repository webhook as GitHub lists it; <see cref="LastStatus"/> is <c>unused</c> before any delivery.</summary>
internal sealed record HookInfo(string Url, bool Active, int? LastCode, string? LastStatus);

internal sealed record NewHook(string Url, IReadOnlyList<string> Events, string Secret);

/// <summary>
/// What a token may do to a repository: <see cref="Visible"/> false when GitHub answered 404 (missing, or private and
/// out of the token's reach). The scopes are GitHub's <c>X-OAuth-Scopes</c> (what the token carries) and
/// <c>X-Accepted-OAuth-Scopes</c> (what the request checked for), null when GitHub did not send them.
/// </summary>
internal sealed record PushAccess(bool Visible, bool Push, bool Private, IReadOnlyList<string>? TokenScopes, IReadOnlyList<string>? AcceptedScopes);
