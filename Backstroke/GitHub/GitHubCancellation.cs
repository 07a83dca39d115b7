namespace Backstroke.GitHub;

/// <summary>
/// A cancellation that reaches every GitHub request of one async flow, including those of helpers that take no token.
/// The sync runner sets it to its shutdown token, so when the grace period ends a request waiting on a slow GitHub
/// is abandoned and its operation goes back to the queue, instead of holding the process past its stop.
/// </summary>
internal static class GitHubCancellation
{
    private static readonly AsyncLocal<CancellationToken> Flow = new();

    /// <summary>Set inside an async method, it applies to what that method awaits and ends when it returns.</summary>
    public static CancellationToken Current
    {
        get => Flow.Value;
        set => Flow.Value = value;
    }
}
