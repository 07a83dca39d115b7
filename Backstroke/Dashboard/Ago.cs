using System.Globalization;

namespace Backstroke.Dashboard;

/// <summary>"3 minutes ago": how people read a last-check time at a glance.</summary>
internal static class Ago
{
    public static string Format(DateTimeOffset? when, DateTimeOffset now)
    {
        if (when is not { } t)
        {
            return "never";
        }

        var span = now - t;
        return span.TotalSeconds switch
        {
            < 0 => "just now",
            < 45 => "just now",
            < 90 => "a minute ago",
            < 3600 => Plural((int)Math.Round(span.TotalMinutes), "minute"),
            < 5400 => "an hour ago",
            < 86400 => Plural((int)Math.Round(span.TotalHours), "hour"),
            < 172800 => "yesterday",
            _ => Plural((int)Math.Round(span.TotalDays), "day"),
        };
    }

    /// <summary>The exact time, for a title or a <c>datetime</c> attribute.</summary>
    public static string Iso(DateTimeOffset? when) => when?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static string Plural(int count, string unit) => $"{count} {unit}{(count == 1 ? "" : "s")} ago";
}
