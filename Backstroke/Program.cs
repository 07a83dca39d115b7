using Backstroke.Auth;
using Backstroke.Dashboard;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Links;
using Backstroke.Polling;
using Backstroke.Sync;
using Backstroke.Webhooks;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddLogging();

    builder.Services
        .AddHosting()
        .AddData()
        .AddGitHub()
        .AddSync()
        .AddAuth()
        .AddLinks()
        .AddPolling()
        .AddWebhooks()
        .AddDashboard();

    var app = builder.Build();

    // The pipeline, in order; routing runs first and the endpoints mapped below run last.
    app.UseDatabaseUnavailableAnswers();
    app.UseProxyHeaders();
    app.UseSecurityHeaders();
    app.UseRequestLogging();
    app.UseNotFoundPage();
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapAuth();
    app.MapHosting();
    app.MapSync();
    app.MapLinks();
    app.MapWebhooks();
    app.MapDashboard();

    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    Logging.ReportStartupFailure(exception);
    return 1;
}

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
