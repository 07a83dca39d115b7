using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>The <c>Sync</c> section: the in-process queue's workers and retries.</summary>
internal sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Operations run at once. Each mostly waits on GitHub, so a few go a long way on one core.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Tries of one operation before a transient failure becomes its result.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>On shutdown, how long running operations may finish before they are put back in the queue.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The first retry's delay; each later one doubles it, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Forks of one fork-all run synced at once. GitHub's secondary limits (paced per account) bound the rate
    /// anyway; a few at once keep the run from waiting on one answer at a time.</summary>
    public int ForkConcurrency { get; set; } = 4;

    /// <summary>Workers look at the table this often even without a wake-up, for delayed retries and other writers.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a claim holds without renewal. When an instance dies, its work waits this long at most before
    /// another instance takes it; instances' clocks must agree to well within it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker renews the lease of the operation it runs, and how often each instance looks for
    /// expired leases. At most half of <see cref="LeaseDuration"/>, so one late renewal does not lose the lease.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var failures = new List<string>();
        if (options.Workers is < 1 or > 64)
        {
            failures.Add($"Sync:Workers must be between 1 and 64 (got {options.Workers}).");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"Sync:MaxAttempts must be between 1 and 100 (got {options.MaxAttempts}).");
        }

        if (options.ForkConcurrency is < 1 or > 64)
        {
            failures.Add($"Sync:ForkConcurrency must be between 1 and 64 (got {options.ForkConcurrency}).");
        }

        Check(failures, "ShutdownGrace", options.ShutdownGrace, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Check(failures, "RetryBaseDelay", options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Check(failures, "RetryMaxDelay", options.RetryMaxDelay, options.RetryBaseDelay, TimeSpan.FromDays(1));
        Check(failures, "PollInterval", options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Check(failures, "LeaseDuration", options.LeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Check(failures, "LeaseRenewInterval", options.LeaseRenewInterval, TimeSpan.FromMilliseconds(100), options.LeaseDuration / 2);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Sync:{key} must be between {min:c} and {max:c} (got {value:c}).");
        }
    }
}
