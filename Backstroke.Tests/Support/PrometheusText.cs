using System.Globalization;

namespace Backstroke.Tests.Support;

/// <summary>The samples of a Prometheus text exposition, keyed as written: <c>name{label="value",...}</c>.</summary>
internal static class PrometheusText
{
    public static async Task<(string Text, Dictionary<string, double> Samples)> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain", "Prometheus reads its text format");
        var text = await response.Content.ReadAsStringAsync();
        return (text, Parse(text));
    }

    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    /// <summary>The sum of every sample of <paramref name="name"/>, whatever its labels.</summary>
    public static double Sum(this Dictionary<string, double> samples, string name) =>
        samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(s => s.Value);
}
