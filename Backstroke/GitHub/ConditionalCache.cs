using Microsoft.Extensions.Caching.Memory;

namespace Backstroke.GitHub;

/// <summary>
/// The last ETag and parsed answer per (token, URL). A conditional request that GitHub answers with 304 costs no
/// rate limit, so a sync that finds nothing new spends almost nothing. Bounded, and only in memory:
/// after a restart the first request of each kind is paid for once.
/// </summary>
internal sealed class ConditionalCache
{
    private readonly MemoryCache entries = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public (string ETag, object Value)? Get(string tokenKey, string url) =>
        entries.TryGetValue(tokenKey + " " + url, out (string, object) entry) ? entry : null;

    public void Set(string tokenKey, string url, string etag, object value) =>
        entries.Set(tokenKey + " " + url, (etag, value), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(6) });
}
