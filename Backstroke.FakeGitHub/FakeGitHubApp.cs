using Backstroke.FakeGitHub.Apps;
using Backstroke.FakeGitHub.Control;
using Backstroke.FakeGitHub.Endpoints;
using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;
using Backstroke.FakeGitHub.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Backstroke.FakeGitHub;

/// <summary>The simulator's composition, shared by the program and by in-process hosting in tests.</summary>
internal static class FakeGitHubApp
{
    public static WebApplication Build(FakeGitHubServerOptions options, string[]? args = null)
    {
        // The slim builder skips what a simulator never uses (IIS, HTTPS, config file watching), so a test's
        // simulator starts in milliseconds.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ApplicationName = typeof(FakeGitHubApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        }

        if (args is null || !args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)))
        {
            builder.WebHost.UseUrls(options.Urls);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var state = new FakeGitHubState(new SimulatorClock(options.TimeProvider));
        state.RateLimits.DefaultLimit = options.RateLimit;
        state.RateLimits.AnonymousLimit = options.AnonymousRateLimit;
        state.Secondary.Enabled = options.SecondaryRateLimits;
        state.LinkBudgetsToAccounts();
        state.RateLimits.LimitOf = state.Apps.LimitOf;
        state.HookTimeout = options.HookTimeout;
        state.OAuth.AddApp(options.OAuthClientId, options.OAuthClientSecret);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton<HookDelivery>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HookDelivery>());

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => state.BaseUrl = ListeningUrl(app));
        app.UseMiddleware<GitHubPipeline>();
        app.UseMiddleware<RepoRedirects>();
        app.UseRouting();
        app.MapGet("/", (HttpContext ctx) => Gh.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("current_user_url", ctx.BaseUrl() + "user");
            w.WriteString("repository_url", ctx.BaseUrl() + "repos/{owner}/{repo}");
            w.WriteString("rate_limit_url", ctx.BaseUrl() + "rate_limit");
            w.WriteEndObject();
        }));
        app.MapRepos();
        app.MapBranches();
        app.MapCommits();
        app.MapCompare();
        app.MapForks();
        app.MapPulls();
        app.MapPullCreate();
        app.MapMergeUpstream();
        app.MapGitRefs();
        app.MapIssues();
        app.MapLabels();
        app.MapCollaborators();
        app.MapHooks();
        app.MapUsers();
        app.MapApps();
        app.MapOAuth();
        app.MapControlApi();
        app.MapFallback(() => Gh.NotFound());
        return app;
    }

    /// <summary>The first bound address as a base URL with a trailing slash, as Octokit needs it.</summary>
    public static string ListeningUrl(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
        return uri.Uri.GetLeftPart(UriPartial.Authority) + "/";
    }

    public static FakeGitHubState StateOf(WebApplication app) => app.Services.GetRequiredService<FakeGitHubState>();
}
