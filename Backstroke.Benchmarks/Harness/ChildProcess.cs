using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Backstroke.Benchmarks.Harness;

/// <summary>
/// A <c>dotnet X.dll</c> process of its own, so that its resident memory is its own. Output goes straight to a log
/// file (through <c>exec</c>, so the shell's PID is the program's): reading it line by line would spend the
/// harness's share of the CPU on the app's logs.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;

    private ChildProcess(Process process, string logPath)
    {
        this.process = process;
        LogPath = logPath;
    }

    public int Id => process.Id;

    public string LogPath { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <param name="cgroupProcs">A cgroup's <c>cgroup.procs</c>: the shell joins it before it becomes the program, so
    /// that everything the program ever allocates is counted there.</param>
    public static ChildProcess Start(string directory, string dll, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string logPath,
        string? cgroupProcs = null)
    {
        var join = cgroupProcs is null ? "" : "echo $$ > " + Quote(cgroupProcs) + " && ";
        var command = join + "exec dotnet " + string.Join(' ', new[] { dll }.Concat(args).Select(Quote)) + " >>" + Quote(logPath) + " 2>&1";
        var start = new ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = directory, UseShellExecute = false };
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}."), logPath);
    }

    /// <summary>VmRSS and VmHWM from /proc/PID/status, in MB; null once the process is gone.</summary>
    public (double RssMb, double PeakMb)? Memory()
    {
        try
        {
            double rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line) / 1024.0;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line) / 1024.0;
                }
            }

            return (rss, hwm);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The resident set split as the kernel reports it (MB): anonymous memory (heaps, JIT code) and file
    /// pages (mapped assemblies and native libraries), which say where the memory goes.</summary>
    public Dictionary<string, double> MemoryBreakdown()
    {
        try
        {
            return File.ReadLines($"/proc/{Id}/status")
                .Where(l => l.StartsWith("Rss", StringComparison.Ordinal) || l.StartsWith("VmRSS", StringComparison.Ordinal) || l.StartsWith("VmHWM", StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => Math.Round(Kilobytes(l) / 1024.0, 1));
        }
        catch (IOException)
        {
            return [];
        }
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; SIGKILL if it is still there after the grace.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Kilobytes(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
