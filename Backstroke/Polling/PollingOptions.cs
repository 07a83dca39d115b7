using Microsoft.Extensions.Options;

namespace Backstroke.Polling;

/// <summary>The <c>Polling</c> section.</summary>
internal sealed class PollingOptions
{
    public const string Section = "Polling";

    /// <summary>Seconds between two polling ticks.</summary>
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>An upstream branch is checked again once its last check is older than this.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A branch that delivered a verified push webhook within this time is checked only once per this time,
    /// as a safety net for a lost delivery: its pushes already tell Backstroke when it moves. A value below
    /// <see cref="StaleAfter"/> acts as <see cref="StaleAfter"/>: pushes never make checks more frequent.</summary>
    public TimeSpan WebhookSafetyInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many upstream branches are checked per tick (one probe each, however many links watch
    /// them), so that checks are staggered. The default checks 10,000 branches in one tick.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Probes in flight at once. Each mostly waits on GitHub, which allows at most 100 concurrent requests;
    /// 32 probes of 50 ms check a full batch of 10,000 branches in about 16 seconds, inside a 30-second tick.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Requests of a token's budget, above <c>GitHub:RateLimitReserve</c>, that polling leaves to syncs:
    /// a token this close to its reserve is not spent on checks until its reset.</summary>
    public int TokenReserve { get; set; } = 100;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
}

internal sealed class PollingOptionsValidator : IValidateOptions<PollingOptions>
{
    public ValidateOptionsResult Validate(string? name, PollingOptions options)
    {
        var failures = new List<string>();
        if (options.IntervalSeconds is < 1 or > 86_400)
        {
            failures.Add($"Polling:IntervalSeconds must be between 1 and 86400 (got {options.IntervalSeconds}).");
        }

        if (options.StaleAfter < TimeSpan.FromSeconds(1) || options.StaleAfter > TimeSpan.FromDays(7))
        {
            failures.Add($"Polling:StaleAfter must be a duration between 00:00:01 and 7.00:00:00, such as 00:10:00 (got {options.StaleAfter}).");
        }

        if (options.WebhookSafetyInterval < TimeSpan.FromSeconds(1) || options.WebhookSafetyInterval > TimeSpan.FromDays(7))
        {
            failures.Add($"Polling:WebhookSafetyInterval must be a duration between 00:00:01 and 7.00:00:00, such as 01:00:00 (got {options.WebhookSafetyInterval}).");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"Polling:BatchSize must be between 1 and 100000 (got {options.BatchSize}).");
        }

        if (options.Concurrency is < 1 or > 100)
        {
            failures.Add($"Polling:Concurrency must be between 1 and 100, GitHub's limit of concurrent requests (got {options.Concurrency}).");
        }

        if (options.TokenReserve is < 0 or > 10_000)
        {
            failures.Add($"Polling:TokenReserve must be between 0 and 10000 (got {options.TokenReserve}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
