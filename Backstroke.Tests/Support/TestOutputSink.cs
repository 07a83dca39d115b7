using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// The app's log, line by line, in the output of the test that runs it, so a failing test shows what the app did.
/// A fixture shared by a class points it at each test in turn (<see cref="Output"/>).
/// </summary>
internal sealed class TestOutputSink : ILogEventSink
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:lj}");

    private volatile ITestOutputHelper? output;

    public ITestOutputHelper? Output
    {
        get => output;
        set => output = value;
    }

    public void Emit(LogEvent logEvent)
    {
        if (output is not { } current)
        {
            return;
        }

        // The request path says which request an event belongs to: the app's background work logs too.
        var source = Text(logEvent, "SourceContext") ?? "app";
        var request = Text(logEvent, "RequestPath") is { } path ? $" ({path})" : "";
        using var message = new StringWriter(CultureInfo.InvariantCulture);
        Message.Format(logEvent, message);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level.ToString()[..3].ToUpperInvariant()}] {source}{request}: {message}");
        try
        {
            current.WriteLine(logEvent.Exception is null ? line : line + Environment.NewLine + logEvent.Exception);
        }
        catch (InvalidOperationException)
        {
            // The test has ended; the app it started can outlive it by a moment while it stops.
        }
    }

    private static string? Text(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: string text } ? text : null;
}
