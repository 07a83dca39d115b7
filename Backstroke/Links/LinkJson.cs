using System.Text.Json;
using Backstroke.Data;
using Backstroke.Hosting;
using Backstroke.Sync;

namespace Backstroke.Links;

/// <summary>A link as the original Backstroke showed it, so its dashboard and scripts keep working.</summary>
internal sealed record LinkJson(
    string Id,
    string Name,
    bool Enabled,
    string Webhook,
    string WebhookUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSyncedAt,
    string SyncMode,
    RepoJson? Upstream,
    RepoJson? Fork,
    LinkStatusJson Status)
{
    public static LinkJson From(Link link, Operation? lastOperation, BackstrokeOptions options) => new(
        link.Id,
        link.Name,
        link.Enabled,
        link.WebhookId,
        options.Url("/_" + link.WebhookId),
        link.CreatedAt,
        // The original's "last synced" is when Backstroke last looked at the upstream: its branch's last check or push.
        link.Upstream?.LastCheckedAt,
        Names.Of(link.SyncMode),
        link.UpstreamOwner is null ? null : new RepoJson("repo", link.UpstreamOwner, link.UpstreamRepo, link.UpstreamBranch),
        link.ForkType == ForkType.ForkAll ? new RepoJson("fork-all", null, null, null)
            : link.ForkOwner is null ? null : new RepoJson("repo", link.ForkOwner, link.ForkRepo, link.ForkBranch),
        new LinkStatusJson(lastOperation is null ? null : OperationSummaryJson.From(lastOperation, options), link.LastError));
}

internal sealed record RepoJson(
    string Type,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Owner,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Repo,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Branch);

internal sealed record LinkStatusJson(OperationSummaryJson? LastOperation, string? LastError);

internal sealed record OperationSummaryJson(string Id, string Status, string Kind, DateTimeOffset EnqueuedAt, DateTimeOffset? FinishedAt, string StatusUrl)
{
    public static OperationSummaryJson From(Operation operation, BackstrokeOptions options) => new(
        operation.Id, Names.Of(operation.Status), Names.Of(operation.Kind), operation.EnqueuedAt, operation.FinishedAt,
        options.Url("/v1/operations/" + operation.Id));
}

/// <summary>One run of a link, in the shape of <c>GET /v1/operations/{id}</c>.</summary>
internal sealed record OperationJson(
    string Id,
    string Status,
    string Kind,
    OperationLinkJson Link,
    int Attempts,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? FromRequest,
    JsonElement? Output,
    string? Error)
{
    public static OperationJson From(Operation operation, Link link) => new(
        operation.Id, Names.Of(operation.Status), Names.Of(operation.Kind), new OperationLinkJson(link.Id, link.Name),
        operation.Attempts, operation.EnqueuedAt, operation.StartedAt, operation.FinishedAt, operation.FromRequest,
        OperationOutput.Read(operation.Output).Json, operation.Error);
}

internal sealed record OperationLinkJson(string Id, string Name);

/// <summary>The wire names of the enums (the original's spellings).</summary>
internal static class Names
{
    public static string Of(SyncMode mode) => mode == SyncMode.FastForward ? "fast-forward" : "pull-request";

    public static string Of(ForkType type) => type == ForkType.ForkAll ? "fork-all" : "repo";

    public static string Of(OperationStatus status) => status.ToString().ToLowerInvariant();

    public static string Of(OperationKind kind) => kind.ToString().ToLowerInvariant();

    public static SyncMode? SyncModeFrom(string? value) => value switch
    {
        "pull-request" => SyncMode.PullRequest,
        "fast-forward" => SyncMode.FastForward,
        _ => null,
    };

    public static ForkType? ForkTypeFrom(string? value) => value switch
    {
        "repo" => ForkType.Repo,
        "fork-all" => ForkType.ForkAll,
        _ => null,
    };
}
