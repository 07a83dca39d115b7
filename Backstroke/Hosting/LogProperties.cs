using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;

namespace Backstroke.Hosting;

/// <summary>Properties that tie log events to what they are about: the request, the link, the operation.</summary>
internal static class LogProperties
{
    public const string LinkId = "LinkId";
    public const string OperationId = "OperationId";

    /// <summary>
    /// Names <paramref name="value"/> on the request's completion event and, until disposed, on every event logged
    /// meanwhile, so one search by link or operation id finds the request that queued it.
    /// </summary>
    public static IDisposable Push(HttpContext context, string name, string value)
    {
        context.RequestServices.GetService<IDiagnosticContext>()?.Set(name, value);
        return LogContext.PushProperty(name, value);
    }
}

/// <summary>
/// The trigger URL <c>/_{webhookId}</c> is a secret. ASP.NET Core puts the raw path on every event of a request (the
/// <c>RequestPath</c> scope, <c>Path</c> of its own request events); this rewrites those to <c>/_***</c> before any sink sees them.
/// </summary>
internal sealed class TriggerPathRedactor : ILogEventEnricher
{
    private static readonly string[] PathProperties = ["RequestPath", "Path"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var name in PathProperties)
        {
            if (logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: string path }
                && Logging.RedactPath(path) is var redacted && !ReferenceEquals(redacted, path))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(redacted)));
            }
        }
    }
}
