namespace Backstroke.GitHub;

/// <summary>
/// <c>GitHub:SecondaryLimits</c>: GitHub's secondary rate limits per account (docs: "Rate limits for the REST API"),
/// which GitHub does not announce in headers, so Backstroke counts them itself. The defaults are GitHub's numbers; a
/// GitHub Enterprise server may set others.
/// </summary>
internal sealed class SecondaryLimitOptions
{
    public int MaxInFlight { get; set; } = 100;

    /// <summary>Points a minute: a GET, HEAD or OPTIONS costs 1, any other request 5.</summary>
    public int PointsPerMinute { get; set; } = 900;

    public int ContentPerMinute { get; set; } = 80;

    public int ContentPerHour { get; set; } = 500;

    /// <summary>The windows GitHub counts points and content-creating requests over. They are GitHub's minute and hour;
    /// a load test against a simulator whose windows are shortened by some factor shortens these by the same one.</summary>
    public TimeSpan MinuteWindow { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan HourWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The wait after a secondary-limit answer without <c>retry-after</c>; it doubles with each refusal in a row.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(16);

    public IEnumerable<string> Validate()
    {
        if (MaxInFlight is < 1 or > 1_000)
        {
            yield return $"GitHub:SecondaryLimits:MaxInFlight must be between 1 and 1000 (got {MaxInFlight}).";
        }

        if (PointsPerMinute is < 5 or > 100_000)
        {
            yield return $"GitHub:SecondaryLimits:PointsPerMinute must be between 5 and 100000 (got {PointsPerMinute}).";
        }

        if (ContentPerMinute is < 1 or > 10_000)
        {
            yield return $"GitHub:SecondaryLimits:ContentPerMinute must be between 1 and 10000 (got {ContentPerMinute}).";
        }

        if (ContentPerHour < ContentPerMinute || ContentPerHour > 100_000)
        {
            yield return $"GitHub:SecondaryLimits:ContentPerHour must be between ContentPerMinute ({ContentPerMinute}) and 100000 (got {ContentPerHour}).";
        }

        if (MinuteWindow < TimeSpan.FromMilliseconds(100) || MinuteWindow > TimeSpan.FromMinutes(1))
        {
            yield return $"GitHub:SecondaryLimits:MinuteWindow must be between 00:00:00.1 and 00:01:00 (got {MinuteWindow}).";
        }

        if (HourWindow < MinuteWindow || HourWindow > TimeSpan.FromHours(1))
        {
            yield return $"GitHub:SecondaryLimits:HourWindow must be between MinuteWindow ({MinuteWindow}) and 01:00:00 (got {HourWindow}).";
        }

        if (BackoffBase < TimeSpan.FromSeconds(1) || BackoffBase > TimeSpan.FromHours(1))
        {
            yield return $"GitHub:SecondaryLimits:BackoffBase must be between 00:00:01 and 01:00:00 (got {BackoffBase}).";
        }

        if (BackoffMax < BackoffBase || BackoffMax > TimeSpan.FromHours(6))
        {
            yield return $"GitHub:SecondaryLimits:BackoffMax must be between BackoffBase ({BackoffBase}) and 06:00:00 (got {BackoffMax}).";
        }
    }
}
