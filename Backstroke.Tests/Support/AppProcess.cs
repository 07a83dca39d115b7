using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// Backstroke as a real process (<c>dotnet Backstroke.dll</c>), for what only a real process shows: its exit code,
/// its console output, its reaction to signals.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly ITestOutputHelper? testOutput;

    private AppProcess(Process process, Uri baseAddress, ITestOutputHelper? testOutput)
    {
        this.process = process;
        this.testOutput = testOutput;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>The process id, to send it signals.</summary>
    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The app as built beside the tests (same configuration), run from its own output folder.</summary>
    public static string BuiltAppDirectory =>
#if DEBUG
        RepositoryRoot.Combine("Backstroke", "bin", "Debug", "net10.0");
#else
        RepositoryRoot.Combine("Backstroke", "bin", "Release", "net10.0");
#endif

    /// <summary>Starts the app on a free port; what it prints also goes to <paramref name="testOutput"/>.</summary>
    public static AppProcess Start(string appDirectory, IDictionary<string, string?> environment, ITestOutputHelper? testOutput = null)
    {
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(appDirectory, "Backstroke.dll")])
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new AppProcess(Process.Start(start)!, baseAddress, testOutput);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200 (true) or the deadline passes (false); a process that
    /// dies first fails the wait with its output.</summary>
    public async Task<bool> WaitUntilAnswersAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        return await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} before {path} answered; it printed:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or listening but slow to answer: try again.
                return false;
            }
        }, timeout);
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        try
        {
            testOutput?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has ended while the process was still printing.
        }
    }
}
