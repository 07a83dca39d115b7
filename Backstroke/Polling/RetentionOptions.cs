using Microsoft.Extensions.Options;

namespace Backstroke.Polling;

/// <summary>The <c>Operations</c> section: how long finished operations are kept.</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Operations";

    public int RetentionDays { get; set; } = 30;

    /// <summary>Finished operations beyond a link's newest this many are deleted, however recent.</summary>
    public int MaxPerLink { get; set; } = 100;

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.RetentionDays is < 1 or > 36_500)
        {
            failures.Add($"Operations:RetentionDays must be between 1 and 36500 (got {options.RetentionDays}).");
        }

        if (options.MaxPerLink is < 1 or > 1_000_000)
        {
            failures.Add($"Operations:MaxPerLink must be between 1 and 1000000 (got {options.MaxPerLink}).");
        }

        if (options.RetentionInterval < TimeSpan.FromMinutes(1) || options.RetentionInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"Operations:RetentionInterval must be between 00:01:00 and 1.00:00:00 (got {options.RetentionInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
