using System.Text.Json;
using Backstroke.GitHub;

namespace Backstroke.Sync;

/// <summary>Output of a single-fork link (docs/sync-rules.md#outputs).</summary>
internal sealed record SingleForkOutput(bool Many, int ForkCount, string Message, PullRequestRef? PullRequest, string? MergeType);

/// <summary>Output of a fork-all link: ok as a whole, with each fork's result.</summary>
internal sealed record ManyForksOutput(bool Many, ForkMetrics Metrics, IReadOnlyList<ForkError> Errors, IReadOnlyList<ForkOutcome> Forks);

internal sealed record ForkMetrics(int Total, int Successes);

internal sealed record ForkError(string Fork, string Error);

internal sealed record ForkOutcome(string Fork, string Status, string Message, PullRequestRef? PullRequest, string? MergeType);

/// <summary>The result of running a link: <see cref="Error"/> null means the operation is ok.</summary>
internal sealed record SyncOutcome(object? Output, string? Error)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string? OutputJson => Output is null ? null : JsonSerializer.Serialize(Output, Output.GetType(), Json);

    public static SyncOutcome Failed(string error) => new(null, error);
}
