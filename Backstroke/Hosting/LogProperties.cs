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
/// <c>RequestPath</c> scope, <c>Path</c> of its own request events), and routing at Debug names the route value too; this
/// rewrites the path to <c>/_***</c> and the id, wherever it appears in the event's properties, to <c>***</c>, before any
/// sink sees them.
/// </summary>
internal sealed class TriggerPathRedactor : ILogEventEnricher
{
    private const string Mask = "***";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var secret = TriggerId(logEvent, "RequestPath") ?? TriggerId(logEvent, "Path");
        if (secret is null)
        {
            return;
        }

        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (Redact(value, secret) is { } redacted)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, redacted));
            }
        }
    }

    private static string? TriggerId(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: string path }
        && !ReferenceEquals(Logging.RedactPath(path), path) && path.Length > 2 ? path[2..] : null;

    /// <summary>The value with every occurrence of <paramref name="secret"/> masked, or null when it has none.</summary>
    private static LogEventPropertyValue? Redact(LogEventPropertyValue value, string secret)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when text.Contains(secret, StringComparison.Ordinal):
                return new ScalarValue(text.Replace(secret, Mask, StringComparison.Ordinal));
            case ScalarValue { Value: { } other } when other is not string
                && other.ToString() is { } shown && shown.Contains(secret, StringComparison.Ordinal):
                // PathString, Uri and the like are kept as objects and rendered by the sink.
                return new ScalarValue(shown.Replace(secret, Mask, StringComparison.Ordinal));
            case SequenceValue sequence:
                var items = sequence.Elements.Select(e => Redact(e, secret)).ToList();
                return items.Any(i => i is not null)
                    ? new SequenceValue(items.Select((item, i) => item ?? sequence.Elements[i]))
                    : null;
            case StructureValue structure:
                var props = structure.Properties.Select(p => Redact(p.Value, secret)).ToList();
                return props.Any(p => p is not null)
                    ? new StructureValue(structure.Properties.Select((p, i) => new LogEventProperty(p.Name, props[i] ?? p.Value)), structure.TypeTag)
                    : null;
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => (Key: e.Key, Value: Redact(e.Value, secret), Original: e.Value)).ToList();
                var keysLeak = dictionary.Elements.Any(e => e.Key.Value is string k && k.Contains(secret, StringComparison.Ordinal));
                return keysLeak || entries.Any(e => e.Value is not null)
                    ? new DictionaryValue(entries.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                        e.Key.Value is string k ? new ScalarValue(k.Replace(secret, Mask, StringComparison.Ordinal)) : e.Key, e.Value ?? e.Original)))
                    : null;
            default:
                return null;
        }
    }
}
