using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backstroke.Benchmarks.Results;

/// <summary>The run's figures as a table on the console and as JSON on disk.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void PrintTable(Figures figures, TextWriter output)
    {
        var rows = figures.All.Values.Select(f => (
            f.Label,
            Value: f.Value is { } v ? Format(v) + " " + f.Unit : "n/a",
            Target: f.Target ?? "",
            Met: f.Met switch { true => "yes", false => "MISSED", null => f.Note is null ? "" : "-" },
            f.Note)).ToList();
        var widths = new[] { rows.Max(r => r.Label.Length), rows.Max(r => r.Value.Length), Math.Max(6, rows.Max(r => r.Target.Length)) };
        output.WriteLine();
        output.WriteLine($"{"Figure".PadRight(widths[0])}  {"Value".PadLeft(widths[1])}  {"Target".PadRight(widths[2])}  Met");
        output.WriteLine(new string('-', widths.Sum() + 12));
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Label.PadRight(widths[0])}  {row.Value.PadLeft(widths[1])}  {row.Target.PadRight(widths[2])}  {row.Met}"
                + (row.Note is null ? "" : "  (" + row.Note + ")"));
        }
    }

    public static async Task WriteJsonAsync(string path, object document)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Json);
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);
}
