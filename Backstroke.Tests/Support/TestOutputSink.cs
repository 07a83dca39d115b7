using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// The app's log, line by line, in the output of the test that runs it, so a failing test shows what the app did.
/// A fixture shared by a class points it at each test in turn (<see cref="Output"/>).
/// </summary>
internal sealed class TestOutputSink : ILogEventSink
{
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

        var source = logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string name } ? name : "app";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level.ToString()[..3].ToUpperInvariant()}] {source}: {logEvent.RenderMessage(CultureInfo.InvariantCulture)}");
        try
        {
            current.WriteLine(logEvent.Exception is null ? line : line + Environment.NewLine + logEvent.Exception);
        }
        catch (InvalidOperationException)
        {
            // The test has ended; the app it started can outlive it by a moment while it stops.
        }
    }
}
