namespace Backstroke.FakeGitHub.Model;

/// <summary>
/// A repository. Collections that most repositories never use are created on first use, so 100,000 repositories
/// cost little more than their names and branch tables.
/// </summary>
internal sealed class Repo(long id, Account owner, string name, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public Account Owner { get; set; } = owner;
    public string Name { get; set; } = name;
    public string FullName => Owner.Login + "/" + Name;
    public bool Private { get; set; }
    public bool Archived { get; set; }
    public string DefaultBranch { get; set; } = "main";
    public string? Description { get; set; }
    public Repo? Parent { get; set; }
    public Repo? Source { get; set; }
    public bool Deleted { get; set; }

    /// <summary>Simulates a merge conflict with the parent: merge-upstream answers 409 and pull requests are unmergeable.</summary>
    public bool MergeConflicts { get; set; }

    /// <summary>
    /// Issues on or off. GitHub turns them off on every new fork (google/github-issue-mover issue 148: "which is
    /// the default for forked repositories"; mozilla-services/GitHub-Audit issue 10: "Forks, by default, do not
    /// have issues enabled").
    /// </summary>
    public bool HasIssues { get; set; } = true;

    /// <summary>451 for a DMCA takedown, 403 for a repository disabled for its terms of service; null when readable.</summary>
    public int? BlockStatus { get; set; }

    /// <summary>Compares on this repository time out, as GitHub's do on very large ranges.</summary>
    public bool SlowDiff { get; set; }

    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public DateTimeOffset PushedAt { get; set; } = createdAt;

    public Dictionary<string, int> Branches { get; } = new(StringComparer.Ordinal);
    public List<Repo>? Forks { get; set; }
    public Dictionary<string, Label>? Labels { get; set; }
    public List<Issue>? Issues { get; set; }
    public List<Hook>? Hooks { get; set; }
    public Dictionary<string, string>? Collaborators { get; set; }

    public Repo Root => Source ?? this;
}

internal sealed class Label(long id, string name, string color, string description)
{
    public long Id { get; } = id;
    public string Name { get; set; } = name;
    public string Color { get; set; } = color;
    public string Description { get; set; } = description;
}

/// <summary>An issue; a pull request is an issue with <see cref="Pull"/> set, exactly as GitHub numbers them.</summary>
internal sealed class Issue(long id, int number, Account user, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public int Number { get; } = number;
    public Account User { get; } = user;
    public string Title { get; set; } = "";
    public string? Body { get; set; }
    public bool Open { get; set; } = true;
    public List<Label> Labels { get; } = [];
    public int Comments { get; set; }
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public DateTimeOffset? ClosedAt { get; set; }
    public PullInfo? Pull { get; set; }
}

internal sealed class PullInfo(Repo headRepo, string headRef, int headSha, Repo baseRepo, string baseRef)
{
    public Repo HeadRepo { get; } = headRepo;
    public string HeadRef { get; } = headRef;
    public Repo BaseRepo { get; } = baseRepo;
    public string BaseRef { get; } = baseRef;
    public string HeadLabel => HeadRepo.Owner.Login + ":" + HeadRef;

    /// <summary>The head commit when the branch was last seen; used once the head branch is gone.</summary>
    public int LastHeadSha { get; set; } = headSha;
    public bool MaintainerCanModify { get; set; }
    public bool Draft { get; set; }
    public bool Merged { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public string? MergeCommitSha { get; set; }
    public Account? MergedBy { get; set; }

    public int HeadSha => HeadRepo.Branches.TryGetValue(HeadRef, out var sha) ? sha : LastHeadSha;
}

internal sealed class Hook(long id, string url, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public string Url { get; set; } = url;
    public string ContentType { get; set; } = "json";
    public string? Secret { get; set; }
    public string InsecureSsl { get; set; } = "0";
    public bool Active { get; set; } = true;
    public string[] Events { get; set; } = ["push"];
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public int? LastCode { get; set; }
    public string? LastStatus { get; set; }
    public string? LastMessage { get; set; }

    /// <summary>Set when this is a GitHub App's webhook rather than a repository's.</summary>
    public long? AppId { get; init; }

    public bool Wants(string evt) => Active && (Events.Contains(evt) || Events.Contains("*"));
}
