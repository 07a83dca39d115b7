using Backstroke.Data;
using Backstroke.Links;

namespace Backstroke.Dashboard;

/// <summary>The link page's form fields, posted as plain HTML form values (no JavaScript needed).</summary>
internal sealed class LinkForm
{
    public string? Name { get; set; }
    public bool Enabled { get; set; }
    public string? UpstreamOwner { get; set; }
    public string? UpstreamRepo { get; set; }
    public string? UpstreamBranch { get; set; }
    public string ForkType { get; set; } = "repo";
    public string? ForkOwner { get; set; }
    public string? ForkRepo { get; set; }
    public string? ForkBranch { get; set; }
    public string SyncMode { get; set; } = "pull-request";

    public static LinkForm From(Link link) => new()
    {
        Name = link.Name,
        Enabled = link.Enabled,
        UpstreamOwner = link.UpstreamOwner,
        UpstreamRepo = link.UpstreamRepo,
        UpstreamBranch = link.UpstreamBranch,
        ForkType = Names.Of(link.ForkType),
        ForkOwner = link.ForkOwner,
        ForkRepo = link.ForkRepo,
        ForkBranch = link.ForkBranch,
        SyncMode = Names.Of(link.SyncMode),
    };

    /// <summary>
    /// The changes to apply. A pasted <c>owner/repo</c> or github.com URL in an owner box fills owner and repository
    /// (and the branch of a /tree/ URL) here too, so pasting works without JavaScript.
    /// </summary>
    public LinkChanges ToChanges()
    {
        (UpstreamOwner, UpstreamRepo, UpstreamBranch) = Unpaste(UpstreamOwner, UpstreamRepo, UpstreamBranch);
        (ForkOwner, ForkRepo, ForkBranch) = Unpaste(ForkOwner, ForkRepo, ForkBranch);
        var forkType = Names.ForkTypeFrom(ForkType) ?? Data.ForkType.Repo;
        return new LinkChanges
        {
            Name = Name?.Trim() ?? "",
            Enabled = Enabled,
            UpstreamOwner = UpstreamOwner?.Trim(),
            UpstreamRepo = UpstreamRepo?.Trim(),
            UpstreamBranch = UpstreamBranch?.Trim(),
            ForkType = forkType,
            ForkOwner = ForkOwner?.Trim(),
            ForkRepo = ForkRepo?.Trim(),
            ForkBranch = ForkBranch?.Trim(),
            SyncMode = Names.SyncModeFrom(SyncMode),
        };
    }

    private static (string?, string?, string?) Unpaste(string? owner, string? repo, string? branch) =>
        owner is not null && owner.Contains('/', StringComparison.Ordinal) && RepoNames.Parse(owner) is { } parsed
            ? (parsed.Owner, parsed.Repo, string.IsNullOrWhiteSpace(branch) ? parsed.Branch : branch)
            : (owner, repo, branch);

    /// <summary>Form field name for an error reported on a link field.</summary>
    public static string FieldFor(string linkField) => linkField switch
    {
        LinkFields.Name => nameof(Name),
        LinkFields.Enabled => nameof(Enabled),
        LinkFields.UpstreamOwner => nameof(UpstreamOwner),
        LinkFields.UpstreamRepo => nameof(UpstreamRepo),
        LinkFields.UpstreamBranch => nameof(UpstreamBranch),
        LinkFields.ForkType => nameof(ForkType),
        LinkFields.ForkOwner => nameof(ForkOwner),
        LinkFields.ForkRepo => nameof(ForkRepo),
        LinkFields.ForkBranch => nameof(ForkBranch),
        LinkFields.SyncMode => nameof(SyncMode),
        _ => "",
    };
}
