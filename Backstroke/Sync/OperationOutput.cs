using System.Globalization;
using System.Text.Json;

namespace Backstroke.Sync;

/// <summary>
/// An operation's stored output (the JSON of <see cref="SyncOutcome"/>), read once and described the same way wherever it
/// is shown: as JSON by the API, as a sentence and a pull request link on the dashboard, indented behind a disclosure.
/// Output that is not JSON (written by something older) is shown as the text it is.
/// </summary>
internal sealed class OperationOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private OperationOutput(JsonElement? json, string? summary, string? pullRequestUrl)
    {
        Json = json;
        Summary = summary;
        PullRequestUrl = pullRequestUrl;
    }

    public static OperationOutput None { get; } = new(null, null, null);

    /// <summary>The output as the API answers it: the stored object, or null when there is none.</summary>
    public JsonElement? Json { get; }

    /// <summary>The outcome in words: what happened to the fork, or how many forks were synced.</summary>
    public string? Summary { get; }

    /// <summary>The pull request the run opened or found, for a single fork.</summary>
    public string? PullRequestUrl { get; }

    /// <summary>The raw output, indented for people.</summary>
    public string? Pretty => Json is { } json ? json.ValueKind == JsonValueKind.String ? json.GetString() : JsonSerializer.Serialize(json, Indented) : null;

    public static OperationOutput Read(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return None;
        }

        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(stored);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return new OperationOutput(JsonSerializer.SerializeToElement(stored), stored, null);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return new OperationOutput(json, null, null);
        }

        if (json.TryGetProperty("many", out var many) && many.ValueKind == JsonValueKind.True)
        {
            return new OperationOutput(json, ManySummary(json), null);
        }

        var pullRequest = json.TryGetProperty("pullRequest", out var pr) && pr.ValueKind == JsonValueKind.Object ? String(pr, "url") : null;
        return new OperationOutput(json, String(json, "message"), pullRequest);
    }

    private static string? ManySummary(JsonElement json)
    {
        if (!json.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object
            || !metrics.TryGetProperty("total", out var total) || !total.TryGetInt32(out var forks)
            || !metrics.TryGetProperty("successes", out var successes) || !successes.TryGetInt32(out var synced))
        {
            return null;
        }

        return forks == 0
            ? "No fork opted in yet."
            : string.Create(CultureInfo.InvariantCulture, $"Synced {synced} of {forks} fork{(forks == 1 ? "" : "s")}.");
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
