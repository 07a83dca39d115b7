using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backstroke.Data;

/// <summary>
/// What a fork-all link remembers between runs about the upstream and its forks list: the upstream head it saw and
/// the ETag of that answer and of every page of forks, so that an unchanged list costs only free 304s.
/// One row per fork-all link; it goes with the link.
/// </summary>
internal sealed class ForkList
{
    public required string LinkId { get; set; }

    /// <summary>The upstream branch (<c>owner/repo@branch</c>) all of this was learnt for: a link edited to another
    /// one starts afresh.</summary>
    public string? Upstream { get; set; }

    public string? HeadSha { get; set; }
    public string? HeadETag { get; set; }

    /// <summary>The ETag of each page of forks (page 1 first), as last read.</summary>
    public List<string> PageETags { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One fork of a fork-all link, as the forks list last showed it, with what its checks answered and what the link's
/// runs did to it. <see cref="OperationId"/> is the run that last dealt with it: a retried, restarted or requeued run
/// skips the forks it already dealt with. Rows of forks that leave the list are deleted, so the table holds at most
/// the forks GitHub lists.
/// </summary>
internal sealed class ForkState
{
    public required string LinkId { get; set; }

    /// <summary>GitHub's id of the fork, which survives renames.</summary>
    public long RepoId { get; set; }

    /// <summary>Where the forks list (oldest first) shows it: page, and place on the page.</summary>
    public int Page { get; set; }
    public int Position { get; set; }

    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public bool Archived { get; set; }
    public bool Disabled { get; set; }

    /// <summary>Whether it carries the opt-in label, and the ETag of the label list that said so.</summary>
    public bool OptedIn { get; set; }
    public string? LabelETag { get; set; }

    /// <summary>Whether an issue or pull request labelled <c>optout</c> was found, and the ETag of that answer.</summary>
    public bool OptedOut { get; set; }
    public string? OptOutETag { get; set; }

    /// <summary>The upstream head this fork was last synced to successfully: while the upstream stays there, a run
    /// has nothing to do for it.</summary>
    public string? SyncedSha { get; set; }

    public string? OperationId { get; set; }

    /// <summary>The last run's result for it: <c>ok</c> or <c>error</c>, its sentence, and the pull request if any.</summary>
    public string? Status { get; set; }
    public string? Message { get; set; }
    public int? PullNumber { get; set; }
    public string? PullUrl { get; set; }
    public string? MergeType { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ForkListConfiguration : IEntityTypeConfiguration<ForkList>
{
    public void Configure(EntityTypeBuilder<ForkList> list)
    {
        list.HasKey(l => l.LinkId);
        list.Property(l => l.LinkId).HasMaxLength(32);
        list.HasOne<Link>().WithOne().HasForeignKey<ForkList>(l => l.LinkId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ForkStateConfiguration : IEntityTypeConfiguration<ForkState>
{
    public void Configure(EntityTypeBuilder<ForkState> fork)
    {
        fork.HasKey(f => new { f.LinkId, f.RepoId });
        fork.Property(f => f.LinkId).HasMaxLength(32);
        fork.Property(f => f.RepoId).ValueGeneratedNever();
        fork.Property(f => f.OperationId).HasMaxLength(32);
        fork.Property(f => f.Status).HasMaxLength(8);
        fork.HasOne<Link>().WithMany().HasForeignKey(f => f.LinkId).OnDelete(DeleteBehavior.Cascade);
        // A run walks its link's forks in list order.
        fork.HasIndex(f => new { f.LinkId, f.Page, f.Position });
    }
}
