using Backstroke.GitHub;

namespace Backstroke.Links;

/// <summary>
/// The questions the dashboard asks GitHub as the signed-in user: does a repository exist, what are its branches,
/// may this user write to it. The gateway asks; this says what its failures mean to someone editing a link.
/// </summary>
internal sealed class GitHubRepos(GitHubClients github)
{
    public Task<bool> IsCollaboratorAsync(string token, string owner, string repo, string login, CancellationToken ct) =>
        github.For(token).IsCollaboratorAsync(owner, repo, login, ct);

    /// <summary>The repository and its branches, or null when it does not exist or the user cannot see it.</summary>
    public Task<RepoDetails?> GetAsync(string token, string owner, string repo, CancellationToken ct) =>
        github.For(token).GetRepoDetailsAsync(owner, repo, ct);

    /// <summary>The status and sentence for a GitHub failure while editing a link: nothing is wrong with the input
    /// unless the gateway refused a name (400); otherwise GitHub is the trouble and the user should try again.</summary>
    public static (int Status, string Message) Explain(GitHubException failure) => failure switch
    {
        { Kind: GitHubFailure.Validation, Status: null } => (StatusCodes.Status400BadRequest, failure.Message),
        { Kind: GitHubFailure.RateLimited, Until: { } until } =>
            (StatusCodes.Status503ServiceUnavailable, $"Your GitHub rate limit is spent until {until:HH:mm} UTC; try again then."),
        { Status: null, InnerException: TaskCanceledException } => (StatusCodes.Status502BadGateway, "GitHub took too long to answer; try again in a moment."),
        { Status: null } => (StatusCodes.Status502BadGateway, "GitHub could not be reached; try again in a moment."),
        { InnerException: System.Text.Json.JsonException } => (StatusCodes.Status502BadGateway, "GitHub's answer could not be read; try again in a moment."),
        _ => (StatusCodes.Status502BadGateway, $"GitHub answered {failure.Status} {failure.Message}; try again in a moment."),
    };
}
