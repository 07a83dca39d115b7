namespace Backstroke.Data;

/// <summary>A GitHub App installation on an account, as the installation webhooks and the daily resync last told it.</summary>
internal sealed class Installation
{
    /// <summary>GitHub's id of the installation.</summary>
    public long Id { get; set; }

    public string AccountLogin { get; set; } = "";

    /// <summary><c>all</c> (every repository of the account, now and later) or <c>selected</c>.</summary>
    public string RepositorySelection { get; set; } = "selected";

    /// <summary>A suspended installation's links are paused: nothing is sent to GitHub for them until it is unsuspended.</summary>
    public bool Suspended { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<InstallationRepository> Repositories { get; } = [];
}
