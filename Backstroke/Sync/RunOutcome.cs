using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backstroke.Data;

namespace Backstroke.Sync;

/// <summary>
/// A run's outcome in words, for people: the one place that turns a stored output or error into the sentence the
/// dashboard shows (home list, link page, run page, and the live status, which fetches the server-rendered sentence).
/// <see cref="Url"/>, when set, is where <see cref="Text"/> links to (a pull request).
/// </summary>
internal sealed partial record RunOutcome(string Text, string? Url = null, string? Advice = null, bool Failed = false)
{
    /// <summary>The outcome of a whole run; null while it has not ended and there is nothing to say yet.</summary>
    public static RunOutcome? Of(Operation operation)
    {
        switch (operation.Status)
        {
            case OperationStatus.Queued:
                return new RunOutcome("Waiting for a free worker…");
            case OperationStatus.Running:
                return new RunOutcome("Running…");
            case OperationStatus.Superseded:
                return new RunOutcome("Interrupted; the link's next run does its work.");
            case OperationStatus.Error:
                return Failure(operation.Error ?? "The run failed without saying why.");
        }

        var output = OperationOutput.Read(operation.Output);
        if (output.Json is not { ValueKind: JsonValueKind.Object } json)
        {
            return new RunOutcome(output.Summary ?? "Done.");
        }

        return output.Summary is { } many && json.TryGetProperty("many", out var flag) && flag.ValueKind == JsonValueKind.True
            ? new RunOutcome(many.TrimEnd('.'))
            : OfTarget(json);
    }

    /// <summary>One fork's result: a single-fork output, or one entry of a fork-all run's <c>forks</c>.</summary>
    public static RunOutcome OfTarget(JsonElement target)
    {
        var message = StringOf(target, "message") ?? "";
        if (StringOf(target, "status") == "error")
        {
            return Failure(message);
        }

        if (target.TryGetProperty("pullRequest", out var pr) && pr.ValueKind == JsonValueKind.Object
            && StringOf(pr, "url") is { } url && pr.TryGetProperty("number", out var n) && n.TryGetInt32(out var number))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"pull request #{number}");
            return message == SyncMessages.PullRequestAlreadyOpen
                ? new RunOutcome($"Pull request #{number.ToString(CultureInfo.InvariantCulture)} already open", url)
                : new RunOutcome($"Opened {name}", url, Besides(message));
        }

        if (StringOf(target, "mergeType") == "fast-forward")
        {
            // The sentence ends "at abc1234." (the commit the fork now points at); the branches are in the full sentence.
            return ShortSha().Match(message) is { Success: true } sha
                ? new RunOutcome($"Fast-forwarded to {sha.Groups[1].Value}", Advice: message)
                : new RunOutcome(message.TrimEnd('.'));
        }

        return message switch
        {
            SyncMessages.UpToDate => new RunOutcome("Already up to date"),
            SyncMessages.NotOptedIn => new RunOutcome("Not opted in", Advice: "The fork has no backstroke-sync label, so it is left alone."),
            "" => new RunOutcome("Done"),
            _ => new RunOutcome(message.TrimEnd('.')),
        };
    }

    /// <summary>What a pull request's sentence adds to "created" (why a fast-forward link got a pull request instead).</summary>
    private static string? Besides(string message)
    {
        if (!message.StartsWith("Successfully created pull request", StringComparison.Ordinal))
        {
            return message.Length == 0 ? null : message;
        }

        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? null : message[(end + 2)..];
    }

    /// <summary>An error, with what to do about it when the sentence does not already say so.</summary>
    public static RunOutcome Failure(string error) => new(error, Advice: AdviceFor(error), Failed: true);

    private static string? AdviceFor(string error)
    {
        if (error.Contains("sign in", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (error.StartsWith(SyncMessages.OptedOut, StringComparison.Ordinal))
        {
            return "The fork's owner labelled an issue or pull request optout; Backstroke leaves the fork alone until that label is gone.";
        }

        if (error == SyncMessages.LinkDisabled)
        {
            return "Turn the link on to sync it.";
        }

        if (error == SyncMessages.LinkIncomplete)
        {
            return "Fill in the upstream and the fork on the link page and save.";
        }

        if (error.StartsWith("Branch ", StringComparison.Ordinal) && error.Contains("doesn't exist", StringComparison.Ordinal))
        {
            return "Create that branch on GitHub, or choose an existing branch on the link page.";
        }

        if (error.StartsWith("Repository ", StringComparison.Ordinal) && error.Contains("doesn't exist", StringComparison.Ordinal))
        {
            return "Check the owner and name on the link page; a private repository needs access for your GitHub account.";
        }

        if (error.StartsWith("Couldn't create pull request", StringComparison.Ordinal))
        {
            return "Check that your GitHub account can open pull requests on the fork.";
        }

        if (error.Contains("rate limit", StringComparison.OrdinalIgnoreCase) || error.Contains("answered 5", StringComparison.Ordinal))
        {
            return "GitHub is busy or out of budget; Backstroke tries again on the next change, or use Sync now later.";
        }

        return null;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@" at ([0-9a-f]{7,40})\.$")]
    private static partial Regex ShortSha();
}
