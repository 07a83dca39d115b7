namespace Backstroke.Data;

/// <summary>A repository an installation covers; for a fork, its parent as GitHub last described it.</summary>
internal sealed class InstallationRepository
{
    /// <summary>GitHub's id of the repository (it survives renames and transfers).</summary>
    public long Id { get; set; }

    public long InstallationId { get; set; }
    public Installation? Installation { get; set; }

    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public bool Fork { get; set; }
    public string? DefaultBranch { get; set; }

    public string? ParentOwner { get; set; }
    public string? ParentName { get; set; }
    public string? ParentDefaultBranch { get; set; }
}
