using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Backstroke.Hosting;

internal static class Logging
{
    private const string ReadableTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Serilog for everything: readable lines in Development, one compact JSON object per event elsewhere.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddHttpClientLogging();
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger.ReadFrom.Configuration(builder.Configuration)
                    // Sinks registered as services: the tests send the app's log to their own output this way.
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext()
                    // After the scopes are attached, so the raw trigger path in ASP.NET Core's request scope is caught too.
                    .Enrich.With<TriggerPathRedactor>()
                    // A failed start is reported once, by ReportStartupFailure, as a sentence; the host's own
                    // report of it would add a stack trace to a mere configuration mistake.
                    .Filter.ByExcluding(e => e.Properties.TryGetValue("EventId", out var id)
                        && id is StructureValue { Properties: [{ Name: "Id", Value: ScalarValue { Value: 11 } }, ..] }
                        && e.Properties.TryGetValue("SourceContext", out var source)
                        && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" });
                if (development)
                {
                    logger.WriteTo.Console(outputTemplate: ReadableTemplate, formatProvider: null);
                }
                else
                {
                    logger.WriteTo.Console(new CompactJsonFormatter());
                }
            },
            // Each host keeps its own logger: tests run several apps in one process.
            preserveStaticLogger: true);
        return builder;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // Without this the middleware writes to the static logger, which each host leaves alone.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/healthz") ? LogEventLevel.Verbose
                : LogEventLevel.Information;
            // The id ASP.NET Core gives the request is on every event logged during it (its log scope); the
            // completion event is written outside that scope, so it gets the id here.
            options.EnrichDiagnosticContext = (diagnostics, context) => diagnostics.Set("RequestId", context.TraceIdentifier);
            options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new("RequestMethod", new ScalarValue(context.Request.Method)),
                new("RequestPath", new ScalarValue(RedactPath(path))),
                new("StatusCode", new ScalarValue(status)),
                new("Elapsed", new ScalarValue(elapsed)),
            ];
        });

    /// <summary>The trigger URL <c>/_{webhookId}</c> carries a secret; logs show only that it was a trigger.</summary>
    internal static string RedactPath(string path) =>
        path.Length > 2 && path[0] == '/' && path[1] == '_' && path.IndexOf('/', 1) < 0 ? "/_***" : path;

    /// <summary>Reports a start that failed, without a stack trace when the cause is a setting the operator can fix.</summary>
    public static void ReportStartupFailure(Exception exception)
    {
        using var logger = new LoggerConfiguration()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", formatProvider: null)
            .CreateLogger();
        if (exception is StartupFailureException stopped)
        {
            logger.Fatal("Backstroke cannot start: {Reason}", stopped.Message);
        }
        else if (exception is Microsoft.Extensions.Options.OptionsValidationException invalid)
        {
            foreach (var failure in invalid.Failures)
            {
                logger.Fatal("Backstroke cannot start: {Reason}", failure);
            }
        }
        else if (exception is InvalidOperationException && exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            logger.Fatal("Backstroke cannot start: {Reason}", exception.Message);
        }
        else
        {
            logger.Fatal(exception, "Backstroke cannot start");
        }
    }
}

/// <summary>A start stopped by something the operator can fix (a read-only volume, say): its message is the sentence
/// to print, with no stack trace.</summary>
internal sealed class StartupFailureException(string message) : Exception(message);
