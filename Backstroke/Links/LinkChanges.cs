using Backstroke.Data;

namespace Backstroke.Links;

/// <summary>What a user asked to change on a link, from the JSON API or the dashboard form. Null means "keep".</summary>
internal sealed class LinkChanges
{
    public string? Name { get; set; }
    public bool? Enabled { get; set; }

    public string? UpstreamOwner { get; set; }
    public string? UpstreamRepo { get; set; }
    public string? UpstreamBranch { get; set; }

    public ForkType ForkType { get; set; } = ForkType.Repo;
    public string? ForkOwner { get; set; }
    public string? ForkRepo { get; set; }
    public string? ForkBranch { get; set; }

    public SyncMode? SyncMode { get; set; }
}

/// <summary>A sentence about one field, shown beside it on the dashboard and as <c>{"error"}</c> by the API.</summary>
internal sealed record FieldError(string Field, string Message);

internal static class LinkFields
{
    public const string Name = "name";
    public const string Enabled = "enabled";
    public const string UpstreamOwner = "upstream.owner";
    public const string UpstreamRepo = "upstream.repo";
    public const string UpstreamBranch = "upstream.branch";
    public const string ForkType = "fork.type";
    public const string ForkOwner = "fork.owner";
    public const string ForkRepo = "fork.repo";
    public const string ForkBranch = "fork.branch";
    public const string SyncMode = "syncMode";
}
