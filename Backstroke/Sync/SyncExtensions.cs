using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

internal static class SyncExtensions
{
    public static IServiceCollection AddSync(this IServiceCollection services)
    {
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();

        // Running operations may finish within Sync:ShutdownGrace; the host must wait at least that long for them.
        services.AddOptions<HostOptions>().Configure<IOptions<SyncOptions>>((host, sync) =>
        {
            var needed = sync.Value.ShutdownGrace + TimeSpan.FromSeconds(5);
            host.ShutdownTimeout = host.ShutdownTimeout > needed ? host.ShutdownTimeout : needed;
        });

        services.AddSingleton<SyncInstance>();
        services.AddSingleton<SyncQueue>();
        services.AddSingleton<ForkSync>();
        services.AddSingleton<LinkSync>();
        services.AddSingleton<ForkAllSync>();
        services.AddSingleton<OperationRunner>();
        services.AddSingleton<SyncWorkerStates>();
        services.AddHostedService<SyncWorkers>();
        services.AddHostedService<QueueListener>();
        services.AddReadinessCheck<SyncWorkersReadyCheck>("sync-workers");
        services.AddGaugeSource<QueueGauges>();
        return services;
    }

    public static IEndpointRouteBuilder MapSync(this IEndpointRouteBuilder endpoints) => endpoints.MapSyncEndpoints();
}
