using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Backstroke.Dashboard;

/// <summary>
/// A small bar chart drawn as inline SVG on the server: no script, no chart library, and it scales to the width of a
/// phone. Each series is one colour; bars of several series stand side by side within a minute.
/// </summary>
internal static class SvgChart
{
    private const int Width = 360;
    private const int Height = 80;

    public sealed record Series(string Name, string Color, IReadOnlyList<int> Values);

    public static IHtmlContent Bars(string label, int slots, params Series[] series)
    {
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var slot = (double)Width / slots;
        var bar = slot / series.Length;
        var svg = new StringBuilder();
        var totals = string.Join(", ", series.Select(s => $"{s.Name} {s.Values.Sum()}"));
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height + 14}\" role=\"img\" aria-label=\"{Encode(label)}: {Encode(totals)}\" preserveAspectRatio=\"none\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Height}\" x2=\"{Width}\" y2=\"{Height}\" stroke=\"#6e7781\" stroke-width=\"1\" />");
        for (var s = 0; s < series.Length; s++)
        {
            var values = series[s].Values;
            // The newest minute is at the right edge; a young instance has empty slots on the left.
            var offset = slots - values.Count;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] <= 0)
                {
                    continue;
                }

                var h = Math.Max(1, values[i] * (double)Height / max);
                var x = ((offset + i) * slot) + (s * bar);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{Height - h:0.##}\" width=\"{Math.Max(1, bar - 0.5):0.##}\" height=\"{h:0.##}\" fill=\"{series[s].Color}\" />");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{Height + 12}\" font-size=\"10\" fill=\"#59636e\">an hour ago</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width}\" y=\"{Height + 12}\" font-size=\"10\" fill=\"#59636e\" text-anchor=\"end\">now · peak {max}</text>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
