using Backstroke.GitHub;

namespace Backstroke.Links;

/// <summary>
/// The questions the dashboard asks GitHub as the signed-in user: does a repository exist, what are its branches,
/// may this user write to it. The gateway asks; this says what its failures mean to someone editing a link.
/// </summary>
internal sealed class GitHubRepos(GitHubClients github)
{
    /// <summary>
    /// May the user push to the repository? Read from its <c>permissions</c>; when the sign-in's token lacks the
    /// scope GitHub checks for, the answer says so, since signing in again is then the fix, not asking for access.
    /// </summary>
    public async Task<PushCheck> CheckPushAsync(string token, string owner, string repo, CancellationToken ct)
    {
        var access = await github.For(token).GetPushAccessAsync(owner, repo, ct);
        var fullName = $"{owner}/{repo}";
        if (access.TokenScopes is not { } granted)
        {
            return new PushCheck(access.Push, null);
        }

        if (!access.Visible)
        {
            // GitHub hides a private repository behind the same 404 as a missing one: only the scopes tell.
            return access.AcceptedScopes is { Count: > 0 } accepted && !accepted.Any(granted.Contains)
                ? new PushCheck(false, MissingScope(accepted, $"to see {fullName} (a private repository, or one that doesn't exist)"))
                : new PushCheck(false, null);
        }

        // The user's role says push, but a token without repo (or public_repo, for a public repository) can't write.
        string[] writes = access.Private ? ["repo"] : ["repo", "public_repo"];
        return writes.Any(granted.Contains)
            ? new PushCheck(access.Push, null)
            : new PushCheck(false, MissingScope(writes, $"to write to {fullName}"));
    }

    /// <summary>The repository and its branches, or null when it does not exist or the user cannot see it.</summary>
    public Task<RepoDetails?> GetAsync(string token, string owner, string repo, CancellationToken ct) =>
        github.For(token).GetRepoDetailsAsync(owner, repo, ct);

    /// <summary>The status and sentence for a GitHub failure while editing a link: nothing is wrong with the input
    /// unless the gateway refused a name (400); otherwise GitHub is the trouble and the user should try again.</summary>
    public static (int Status, string Message) Explain(GitHubException failure) => failure switch
    {
        { Kind: GitHubFailure.Validation, Status: null } => (StatusCodes.Status400BadRequest, failure.Message),
        { Kind: GitHubFailure.Forbidden } => (StatusCodes.Status403Forbidden, $"GitHub refused Backstroke's sign-in ({failure.Status} {failure.Message})."),
        { Kind: GitHubFailure.RateLimited, Until: { } until } =>
            (StatusCodes.Status503ServiceUnavailable, $"Your GitHub rate limit is spent until {until:HH:mm} UTC; try again then."),
        { Status: null, InnerException: TaskCanceledException } => (StatusCodes.Status502BadGateway, "GitHub took too long to answer; try again in a moment."),
        { Status: null } => (StatusCodes.Status502BadGateway, "GitHub could not be reached; try again in a moment."),
        { InnerException: System.Text.Json.JsonException } => (StatusCodes.Status502BadGateway, "GitHub's answer could not be read; try again in a moment."),
        _ => (StatusCodes.Status502BadGateway, $"GitHub answered {failure.Status} {failure.Message}; try again in a moment."),
    };

    private static string MissingScope(IEnumerable<string> scopes, string purpose) =>
        $"Backstroke's sign-in lacks the {string.Join(" or ", scopes.Select(s => $"`{s}`"))} scope GitHub asks for {purpose}; sign in again with /setup/login.";
}

/// <summary><see cref="ScopeProblem"/>: why the sign-in itself can't do it, or null when the answer is the user's role.</summary>
internal sealed record PushCheck(bool CanPush, string? ScopeProblem);
