using System.Net;
using System.Text.Json;
using Backstroke.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>/readyz is 200 only when every part that does the work is up, and names the part that is not.</summary>
public sealed class ReadinessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Readyz_is_200_while_database_and_workers_run_and_503_naming_the_workers_once_they_stop()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();

        var ready = await WhenReadyAsync(client);
        ready.Str("status").Should().Be("ready");
        ready.At("checks", "database").Str("status").Should().Be("healthy");
        ready.At("checks", "sync-workers").Str("status").Should().Be("healthy");
        ready.At("checks", "scheduler").Str("status").Should().Be("healthy");

        await app.StopWorkersAsync();

        var (status, notReady) = await ReadyzAsync(client);
        status.Should().Be(HttpStatusCode.ServiceUnavailable, notReady.GetRawText());
        notReady.Str("status").Should().Be("not ready");
        notReady.At("failing").EnumerateArray().Select(e => e.GetString()).Should().Equal("sync-workers");
        notReady.At("checks", "database").Str("status").Should().Be("healthy");
        notReady.At("checks", "sync-workers").Str("description").Should().Contain("stopping");
        await LivenessStaysUpAsync(client);
    }

    [Fact]
    public async Task Readyz_is_503_naming_the_scheduler_when_polling_stops()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();
        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await WhenReadyAsync(client);

        await scheduler.Standby();

        var (status, body) = await ReadyzAsync(client);
        status.Should().Be(HttpStatusCode.ServiceUnavailable, body.GetRawText());
        body.At("failing").EnumerateArray().Select(e => e.GetString()).Should().Equal("scheduler");
        body.At("checks", "scheduler").Str("description").Should().Be("The polling scheduler is not running.");
        await LivenessStaysUpAsync(client);
    }

    [Fact]
    public async Task Readyz_is_503_naming_the_database_when_its_schema_is_not_there()
    {
        // An operator who migrates by hand and has not yet: the file opens, but nothing can be read from it.
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" }, output: output);
        using var client = app.CreateClient();

        var (status, body) = await ReadyzAsync(client);

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.At("failing").EnumerateArray().Select(e => e.GetString()).Should().Contain("database");
        body.At("checks", "database").Str("description").Should().Be("The database does not answer (see the log for why).");
        body.GetRawText().Should().NotContain("Exception").And.NotContain("   at ", "a public answer carries no stack trace");
        await LivenessStaysUpAsync(client);
    }

    /// <summary>The scheduler starts once the host has started, a moment after the first request can arrive: wait for
    /// the app to report ready (with a deadline), as a load balancer would.</summary>
    private static async Task<JsonElement> WhenReadyAsync(HttpClient client)
    {
        var last = default(JsonElement);
        var ready = await Eventually.TrueAsync(async () =>
        {
            (var status, last) = await ReadyzAsync(client);
            return status == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10));
        ready.Should().BeTrue($"the app should become ready; /readyz said {last.GetRawText()}");
        return last;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task LivenessStaysUpAsync(HttpClient client)
    {
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        live.StatusCode.Should().Be(HttpStatusCode.OK, "liveness only says the process answers; restarting it would not help");
    }
}
