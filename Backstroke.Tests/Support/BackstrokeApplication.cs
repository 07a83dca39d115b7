using Backstroke.Data;
using Backstroke.Sync;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Backstroke.Tests.Support;

/// <summary>
/// The real app, in process, on a fresh data directory. It starts from the repository root, as
/// <c>dotnet run --project Backstroke</c> does, so the root appsettings.json is the one in force; tests add
/// settings on top, the way environment variables would.
/// </summary>
internal sealed class BackstrokeApplication : WebApplicationFactory<Program>
{
    private readonly TempDirectory data = new();
    private readonly Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase);

    public BackstrokeApplication(IDictionary<string, string?>? settings = null)
    {
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                this.settings[key] = value;
            }
        }
    }

    public string DataDirectory => data.Path;

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
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // Pooled SQLite connections keep the file open; release them before removing the directory.
            SqliteConnection.ClearAllPools();
            data.Dispose();
        }
    }
}
