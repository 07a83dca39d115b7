using System.Text.Json;

namespace Backstroke.Links;

/// <summary>Reads the update body of <c>POST /v1/links/{id}</c>, in the original's shape and with its messages.</summary>
internal static class LinkBody
{
    public const string InvalidBody = "Invalid json body.";

    /// <summary>The changes, or the sentence saying what is wrong with the body's shape.</summary>
    public static (LinkChanges? Changes, string? Error) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, InvalidBody);
        }

        var changes = new LinkChanges();
        if (!body.TryGetProperty("upstream", out var upstream) || IsNothing(upstream))
        {
            return (null, "Link doesn't have an 'upstream' key.");
        }

        if (!body.TryGetProperty("fork", out var fork) || IsNothing(fork))
        {
            return (null, "Link doesn't have a 'fork' key.");
        }

        if (upstream.ValueKind != JsonValueKind.Object)
        {
            return (null, "The 'upstream' key must be an object with an owner, a repo and a branch.");
        }

        if (fork.ValueKind != JsonValueKind.Object)
        {
            return (null, "The 'fork' key must be an object with a type.");
        }

        switch (Str(upstream, "type"))
        {
            case "fork-all":
                return (null, "The 'upstream' repo must be a repo, not a bunch of forks.");
            case null or "repo":
                break;
            default:
                return (null, "The upstream's type must be 'repo'.");
        }

        if (Names.ForkTypeFrom(Str(fork, "type") ?? "repo") is not { } forkType)
        {
            return (null, "The fork's type must be 'repo' (one fork) or 'fork-all' (every fork that opts in).");
        }

        changes.UpstreamOwner = Str(upstream, "owner")?.Trim();
        changes.UpstreamRepo = Str(upstream, "repo")?.Trim();
        changes.UpstreamBranch = Str(upstream, "branch")?.Trim();
        changes.ForkType = forkType;
        changes.ForkOwner = Str(fork, "owner")?.Trim();
        changes.ForkRepo = Str(fork, "repo")?.Trim();
        changes.ForkBranch = Str(fork, "branch")?.Trim();

        if (body.TryGetProperty("name", out var name) && name.ValueKind != JsonValueKind.Null)
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                return (null, "The link's name must be a string.");
            }

            changes.Name = name.GetString();
        }

        if (body.TryGetProperty("enabled", out var enabled) && enabled.ValueKind != JsonValueKind.Null)
        {
            if (enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, "The 'enabled' key must be true or false.");
            }

            changes.Enabled = enabled.GetBoolean();
        }

        if (body.TryGetProperty("syncMode", out var mode) && mode.ValueKind != JsonValueKind.Null)
        {
            if (Names.SyncModeFrom(mode.ValueKind == JsonValueKind.String ? mode.GetString() : null) is not { } syncMode)
            {
                return (null, "The syncMode must be 'pull-request' or 'fast-forward'.");
            }

            changes.SyncMode = syncMode;
        }

        // The original also sent upstream.branches and fork.branches (and isFork); they are accepted and ignored.
        return (changes, null);
    }

    private static bool IsNothing(JsonElement value) => value.ValueKind is JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined;

    /// <summary>A string field; other kinds count as missing, so the field rules name them.</summary>
    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
