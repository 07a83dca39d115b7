using System.Net.Http.Headers;
using Backstroke.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

/// <summary>
/// The GitHub gateway's entrance: hands out a <see cref="GitHubSession"/> per token, all sharing one connection pool,
/// one <see cref="RateLimitHandler"/> (so every call updates the same budgets and pacing per account) and one conditional-request cache.
/// Sessions are cached per token (bounded) because a token is used many times in a row.
/// </summary>
internal sealed class GitHubClients : IDisposable
{
    private readonly RateLimitHandler handler;
    private readonly HttpClient client;
    private readonly GitHubHttp http;
    private readonly MemoryCache sessions = new(new MemoryCacheOptions { SizeLimit = 1_000 });
    private readonly ConditionalCache conditional = new();

    public GitHubClients(
        IOptions<GitHubOptions> options, RateLimitBudgets budgets, SecondaryLimitPacer pacer, TimeProvider time, BackstrokeMetrics metrics, ILoggerFactory loggers)
    {
        var settings = options.Value;
        handler = new RateLimitHandler(budgets, pacer, settings.ApiUri, time, metrics)
        {
            // Pooled connections are recycled so that a DNS change (GitHub Enterprise failover) is noticed. Redirects
            // are followed by GitHubHttp itself, which keeps the token on the API host.
            InnerHandler = new GitHubRequestLog(loggers)
            {
                InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false },
            },
        };
        client = new HttpClient(handler, disposeHandler: false) { Timeout = settings.RequestTimeout };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Backstroke", "1.0"));
        // A request that sets its own Accept (the bare-SHA media type) keeps it: defaults only fill gaps.
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        http = new GitHubHttp(client, settings.ApiUri);
    }

    /// <summary>
    /// The request core under every session, for the tests that replay recorded GitHub sessions through it. Paths
    /// still come from <see cref="GitHubPath"/>, so nothing sent through it escapes the name rules either.
    /// </summary>
    public GitHubHttp Http => http;

    /// <summary>A session that acts as the owner of <paramref name="token"/>.</summary>
    public GitHubSession For(string token)
    {
        // The cache key is a digest, so the token itself is held only by the session that needs it.
        var key = RateLimitBudgets.TokenDigest(token);
        if (!sessions.TryGetValue(key, out GitHubSession? session) || session is null || !session.Owns(token))
        {
            session = new GitHubSession(http, conditional, token);
            sessions.Set(key, session, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        return session;
    }

    public void Dispose()
    {
        sessions.Dispose();
        client.Dispose();
        handler.Dispose();
    }
}
