using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>The test host itself: it must not depend on what else runs on the machine, and it must show the app's log.</summary>
public sealed class TestHostTests(ITestOutputHelper output)
{
    private const int KestrelDefaultPort = 5000;

    [Fact]
    public async Task An_app_on_kestrel_gets_a_port_of_its_own_while_another_program_listens_on_5000()
    {
        using var other = ListenOn5000();
        await using var plain = new BackstrokeApplication(output: output);
        var plainAddress = plain.StartOnKestrel();
        // The watching world with a clock of its own is the one that used to land on 5000.
        await using var watch = await WatchWorld.StartAsync(clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow), kestrel: true, output: output);

        foreach (var address in new[] { plainAddress, watch.Address })
        {
            address.Port.Should().NotBe(KestrelDefaultPort).And.NotBe(0);
            using var client = new HttpClient { BaseAddress = address };
            (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, $"the app answers at {address}");
        }
    }

    [Fact]
    public async Task The_apps_log_lands_in_the_test_output()
    {
        var recording = new RecordingOutput();
        await using var app = new BackstrokeApplication(output: recording);
        using var client = app.CreateClient();

        (await client.GetAsync(new Uri("/v1/operations/nothing-here", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await Eventually.TrueAsync(() => Task.FromResult(recording.Lines.Any(l => l.Contains("/v1/operations/nothing-here", StringComparison.Ordinal) && l.Contains("404", StringComparison.Ordinal))), TimeSpan.FromSeconds(5)))
            .Should().BeTrue($"the request log line should be in the output; it has:\n{string.Join('\n', recording.Lines)}");
    }

    /// <summary>Holds 127.0.0.1:5000 as another program would; if one already does, that serves the test as well.</summary>
    private static TcpListener? ListenOn5000()
    {
        var listener = new TcpListener(IPAddress.Loopback, KestrelDefaultPort);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private sealed class RecordingOutput : ITestOutputHelper
    {
        private readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public void WriteLine(string message) => lines.Enqueue(message);

        public void WriteLine(string format, params object[] args) => lines.Enqueue(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
