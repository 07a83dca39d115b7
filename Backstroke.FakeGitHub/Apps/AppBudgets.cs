namespace Backstroke.FakeGitHub.Apps;

/// <summary>Each installation's primary budget, sized by how many repositories it covers.</summary>
internal sealed partial class AppRegistry
{
    /// <summary>
    /// docs "Rate limits for the REST API": an installation gets 5,000 requests an hour, plus 50 for each repository
    /// over 20, at most 12,500 (the extra for organisation members over 20 is not simulated).
    /// </summary>
    public static int LimitFor(int repositories) => Math.Min(12_500, 5_000 + (50 * Math.Max(0, repositories - 20)));

    private void Resized(Installation installation)
    {
        var limit = LimitFor(RepositoriesOf(installation).Count);
        _limits[installation.Id] = limit;
        state.RateLimits.Resize("installation:" + installation.Id, limit);
    }

    /// <summary>For <see cref="RateLimits.LimitOf"/>: an installation's limit, without the state's lock.</summary>
    public int? LimitOf(string key) =>
        key.StartsWith("installation:", StringComparison.Ordinal) && long.TryParse(key.AsSpan("installation:".Length), System.Globalization.CultureInfo.InvariantCulture, out var id)
            && _limits.TryGetValue(id, out var limit) ? limit : null;
}
