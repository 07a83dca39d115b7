using System.Net.Http.Headers;
using Backstroke.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace Backstroke.GitHub;

/// <summary>
/// Hands out a <see cref="GitHubSession"/> per token, all sharing one connection pool and one
/// <see cref="RateLimitHandler"/>, so that Octokit's calls and our own conditional ones update the same budgets.
/// Clients are cached per token (bounded) because building one is not free and a token is used many times in a row.
/// </summary>
internal sealed class GitHubClients : IDisposable
{
    private static readonly Octokit.ProductHeaderValue Product = new("Backstroke");

    private readonly GitHubOptions options;
    private readonly RateLimitHandler handler;
    private readonly HttpClientAdapter octokitHttp;
    private readonly SimpleJsonSerializer serializer = new();
    private readonly MemoryCache clients = new(new MemoryCacheOptions { SizeLimit = 1_000 });
    private readonly ConditionalCache conditional = new();

    public GitHubClients(IOptions<GitHubOptions> options, RateLimitBudgets budgets, TimeProvider time, BackstrokeMetrics metrics)
    {
        this.options = options.Value;
        handler = new RateLimitHandler(budgets, time, metrics)
        {
            // Pooled connections are recycled so that a DNS change (GitHub Enterprise failover) is noticed.
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false },
        };
        octokitHttp = new HttpClientAdapter(() => handler);
        octokitHttp.SetRequestTimeout(this.options.RequestTimeout);
        Rest = new HttpClient(handler, disposeHandler: false) { Timeout = this.options.RequestTimeout, BaseAddress = this.options.ApiUri };
        Rest.DefaultRequestHeaders.UserAgent.Add(new System.Net.Http.Headers.ProductInfoHeaderValue("Backstroke", "1.0"));
        // A request that sets its own Accept (e.g. the bare-SHA media type) keeps it: defaults only fill gaps.
        Rest.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
    }

    /// <summary>
    /// Plain REST for the calls Octokit has no method for (conditional GETs, the bare-SHA probe). Relative URLs
    /// resolve against <c>GitHub:ApiUrl</c>; it shares the connection pool and the rate-limit budgets with Octokit.
    /// Callers set the <c>Authorization</c> header per request.
    /// </summary>
    public HttpClient Rest { get; }

    /// <summary>A session that acts as the owner of <paramref name="token"/>.</summary>
    public GitHubSession For(string token)
    {
        // The cache key is a digest, so the token itself is held only by the client that needs it.
        var key = RateLimitBudgets.KeyFor(token);
        if (!clients.TryGetValue(key, out GitHubSession? session) || session is null || !session.Owns(token))
        {
            // Octokit is told the API's root itself: new GitHubClient(header, uri) would rewrite any non-github.com
            // address to /api/v3/, which the simulator and some proxies do not serve.
            var connection = new Connection(Product, options.ApiUri, new InMemoryCredentialStore(new Credentials(token)), octokitHttp, serializer);
            session = new GitHubSession(new GitHubClient(connection), Rest, conditional, token);
            clients.Set(key, session, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        return session;
    }

    public void Dispose()
    {
        clients.Dispose();
        Rest.Dispose();
        octokitHttp.Dispose();
        handler.Dispose();
    }
}
