using Backstroke.FakeGitHub;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Tests.GitHub;

/// <summary>The GitHub gateway on its own, talking to an in-process simulator over real HTTP on a free port.</summary>
internal sealed class GatewayWorld : IAsyncDisposable
{
    public const string Token = "gho_gateway_token";

    private readonly GitHubClients clients;

    private GatewayWorld(FakeGitHubServer server, Uri? apiUrl, TimeSpan? requestTimeout, TimeProvider? time, SecondaryLimitOptions? limits)
    {
        Server = server;
        time ??= TimeProvider.System;
        var options = Options.Create(new GitHubOptions
        {
            ApiUrl = (apiUrl ?? server.BaseUrl).ToString(),
            WebUrl = server.BaseUrl.ToString(),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
            SecondaryLimits = limits ?? new SecondaryLimitOptions(),
        });
        Budgets = new RateLimitBudgets(time, options);
        clients = new GitHubClients(options, Budgets, new SecondaryLimitPacer(time, options), time, new BackstrokeMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
    }

    public RateLimitBudgets Budgets { get; }

    public GitHubClients Clients => clients;

    public FakeGitHubServer Server { get; }

    public GitHubSession Session => clients.For(Token);

    /// <summary><paramref name="apiUrl"/> replaces the simulator's address (to test an unreachable GitHub).</summary>
    /// <paramref name="time"/> drives both the simulator's and the gateway's clocks, so a test can move through rate-limit windows at once.
    public static async Task<GatewayWorld> StartAsync(
        Uri? apiUrl = null, TimeSpan? requestTimeout = null, TimeProvider? time = null, SecondaryLimitOptions? limits = null)
    {
        var server = await FakeGitHubServer.StartAsync(new FakeGitHubServerOptions { TimeProvider = time ?? TimeProvider.System });
        server.CreateUser("me", Token);
        server.CreateUser("up");
        server.CreateRepo("up", "proj");
        server.CreateRepo("me", "proj", forkOf: "up/proj");
        return new GatewayWorld(server, apiUrl, requestTimeout, time, limits);
    }

    /// <summary>The request targets exactly as they arrived, percent-escapes and all.</summary>
    public IReadOnlyList<string> RawTargets() => [.. Server.Requests.Select(r => r.RawTarget)];

    public async ValueTask DisposeAsync()
    {
        clients.Dispose();
        await Server.DisposeAsync();
    }
}
