using System.Text.Json.Serialization;

namespace Backstroke.Benchmarks.Results;

/// <summary>One measured number, with the target it is judged against when there is one. A figure whose
/// feature is missing from the build has no value and says why in <see cref="Note"/>.</summary>
internal sealed record Figure(string Label, double? Value, string Unit, string? Target = null, bool? Met = null, string? Note = null);

/// <summary>Every figure of the run, in the order they were measured, and the details behind them.</summary>
internal sealed class Figures
{
    private readonly Lock gate = new();

    [JsonPropertyName("figures")]
    public Dictionary<string, Figure> All { get; } = new(StringComparer.Ordinal);

    [JsonPropertyName("details")]
    public Dictionary<string, object> Details { get; } = new(StringComparer.Ordinal);

    public void Add(string key, string label, double? value, string unit, string? target = null, Func<double, bool>? meets = null, string? note = null)
    {
        lock (gate)
        {
            All[key] = new Figure(label, value is { } v ? Math.Round(v, 3) : null, unit, target, value is { } x && meets is not null ? meets(x) : null, note);
        }
    }

    public void NotAvailable(string reason, params (string Key, string Label, string Unit, string? Target)[] figures)
    {
        foreach (var (key, label, unit, target) in figures)
        {
            Add(key, label, null, unit, target, note: reason);
        }
    }

    public void Detail(string scenario, object detail)
    {
        lock (gate)
        {
            Details[scenario] = detail;
        }
    }
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
