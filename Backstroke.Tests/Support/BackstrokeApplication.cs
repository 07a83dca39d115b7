using System.Net;
using Backstroke.Data;
using Backstroke.Sync;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Serilog.Core;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// The one way the tests stand the app up in process: the real app on a fresh data directory. It starts from the
/// repository root, as <c>dotnet run --project Backstroke</c> does, so the root appsettings.json is the one in force;
/// tests add settings on top (<see cref="TestSettings"/>), the way environment variables would. Its log goes to the
/// test's output. In memory by default; <see cref="StartOnKestrel"/> puts it on a real port for browsers and webhooks.
/// </summary>
internal sealed class BackstrokeApplication : WebApplicationFactory<Program>
{
    private readonly TempDirectory data = new();
    private readonly Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly TestOutputSink log = new();

    public BackstrokeApplication(IDictionary<string, string?>? settings = null, ITestOutputHelper? output = null)
    {
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                this.settings[key] = value;
            }
        }

        log.Output = output;

        // In a PostgreSQL test class, a database of its own per data directory (unless the test chose a database).
        if (PostgresTests.Active && !this.settings.ContainsKey("Database:Provider"))
        {
            var directory = this.settings.TryGetValue("Backstroke:DataDirectory", out var chosen) && !string.IsNullOrEmpty(chosen)
                ? Path.GetFullPath(chosen)
                : data.Path;
            this.settings["Database:Provider"] = "Postgres";
            this.settings["Database:ConnectionString"] = PostgresCluster.Shared.DatabaseFor(directory);
        }
    }

    /// <summary>The PostgreSQL database this app uses, or null on SQLite.</summary>
    public string? PostgresConnectionString =>
        settings.TryGetValue("Database:Provider", out var provider) && string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase)
            ? settings.GetValueOrDefault("Database:ConnectionString")
            : null;

    public string DataDirectory => data.Path;

    /// <summary>Where the app's log goes; a fixture shared by a class points it at each test in turn.</summary>
    public ITestOutputHelper? Output
    {
        get => log.Output;
        set => log.Output = value;
    }

    /// <summary>A clock the test moves instead of the system's; set before the app starts.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Where the app listens once <see cref="StartOnKestrel"/> has run.</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Starts the app on Kestrel at 127.0.0.1:<paramref name="port"/> (0: any free port) and returns its address.
    /// The endpoint is given to Kestrel itself: <c>UseKestrel(0)</c> only sets the address on the factory it is called
    /// on, and a factory derived with <c>WithWebHostBuilder</c> builds its host through its parent, which then has no
    /// address, so Kestrel fell back to its default, localhost:5000, and failed whenever something else was there.
    /// </summary>
    public Uri StartOnKestrel(int port = 0)
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        StartServer();
        return Address;
    }

    /// <summary>Runs <paramref name="action"/> with a DbContext of the app, in its own scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<BackstrokeDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>());
    }

    /// <summary>Stops the sync workers, as a process that dies would, leaving the queue as it is.</summary>
    public Task StopWorkersAsync() =>
        Services.GetServices<IHostedService>().OfType<SyncWorkers>().Single().StopAsync(CancellationToken.None);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot.Path);
        // Development, as with `dotnet run`: static web assets are served from the project.
        builder.UseEnvironment("Development");
        builder.UseSetting("Backstroke:DataDirectory", data.Path);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(log));
        if (Clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(Clock));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            log.Output = null;
            // Pooled SQLite connections keep the file open; release them before removing the directory.
            SqliteConnection.ClearAllPools();
            if (PostgresConnectionString is { } postgres)
            {
                // Idle connections of this app's pool would otherwise stay open to the shared server for minutes.
                using var connection = new NpgsqlConnection(DataExtensions.PostgresConnectionString(new DatabaseOptions { ConnectionString = postgres }));
                NpgsqlConnection.ClearPool(connection);
            }

            data.Dispose();
        }
    }
}
