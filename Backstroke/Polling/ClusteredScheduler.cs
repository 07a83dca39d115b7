using Backstroke.Data;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Quartz.Extensibility;
using Quartz.Impl;

namespace Backstroke.Polling;

/// <summary>
/// Where Quartz keeps its schedule. On SQLite there is one instance: the in-memory store, since the jobs keep their
/// state in the links and operations, not in Quartz. On PostgreSQL several instances share the database, so they
/// share the schedule too: Quartz's ADO store in the same database (its tables created at start when missing),
/// clustered with an instance id generated per process, so that a tick runs on one instance at a time
/// ([DisallowConcurrentExecution] holds across the cluster) and a surviving instance takes over the triggers of one
/// that died. The provider is a setting, read when the scheduler is built, so both stores are registered and the
/// choice is made then.
/// </summary>
internal static class ClusteredScheduler
{
    /// <summary>Inside <c>AddQuartz</c>: the database store, reached through the application's connection string.</summary>
    public static void UseSharedStoreOnPostgres(this IQuartzBuilder quartz) =>
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(source => source.DataSourceFactory = provider =>
                NpgsqlDataSource.Create(DataExtensions.PostgresConnectionString(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
            store.UseSystemTextJsonSerializer();
            store.ProvisionSchema();
        });

    /// <summary>After <c>AddQuartz</c>: the in-memory store unless the database is PostgreSQL, and clustering only there.</summary>
    public static IServiceCollection KeepInMemoryStoreOnSqlite(this IServiceCollection services)
    {
        var database = services.Last(d => d.ServiceType == typeof(IJobStore) && !d.IsKeyedService);
        var databaseStore = database.ImplementationFactory
            ?? throw new InvalidOperationException("Quartz registered its job store in a way this version does not expect.");
        services.Remove(database);
        services.AddSingleton(provider => IsPostgres(provider)
            ? (IJobStore)databaseStore(provider)
            : ActivatorUtilities.CreateInstance<RAMJobStore>(provider));

        services.AddOptions<ClusteringOptions>().Configure<IOptions<DatabaseOptions>>((clustering, db) => clustering.Enabled = IsPostgres(db));
        services.AddOptions<AdoJobStoreOptions>().Configure<IOptions<DatabaseOptions>>((store, db) => store.UseDbLocks |= IsPostgres(db));
        services.AddOptions<QuartzSchedulerOptions>().Configure<IOptions<DatabaseOptions>>((scheduler, db) => scheduler.GenerateInstanceId |= IsPostgres(db));
        return services;
    }

    private static bool IsPostgres(IServiceProvider provider) => IsPostgres(provider.GetRequiredService<IOptions<DatabaseOptions>>());

    private static bool IsPostgres(IOptions<DatabaseOptions> database) => database.Value.Provider == DatabaseProvider.Postgres;
}
