using System.Diagnostics;
using System.Text.RegularExpressions;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Hosting;

/// <summary>
/// No Docker engine runs here, so this checks what can be checked without one: the app published exactly as the
/// Dockerfile publishes it starts from its publish folder with the image's environment and an empty data volume,
/// gets ready, and stops cleanly on SIGTERM (what <c>docker stop</c> sends).
/// </summary>
[Slow(SlowAttribute.Image)]
[Collection(RealProcessCollection.Name)]
public sealed partial class ImageTests
{
    [Fact]
    public async Task The_app_published_as_the_Dockerfile_does_starts_with_the_image_environment_gets_ready_and_stops_on_SIGTERM()
    {
        var dockerfile = await File.ReadAllLinesAsync(RepositoryRoot.Combine("Dockerfile"));
        using var publish = new TempDirectory();
        using var volume = new TempDirectory();

        var publishCommand = dockerfile.Select(l => PublishLine().Match(l)).Single(m => m.Success).Groups[1].Value;
        await RunAsync(publishCommand.Replace("-o /app", $"-o {publish.Path}", StringComparison.Ordinal));

        File.Exists(Path.Combine(publish.Path, "appsettings.json")).Should().BeTrue("the root appsettings.json ships with the app");
        var environment = ImageEnvironment(dockerfile, volume.Path);
        environment.Should().ContainKey("Backstroke__DataDirectory");
        Dockerfile(dockerfile, "EXPOSE").Should().Be("8080");
        Dockerfile(dockerfile, "VOLUME").Should().Be("/data");
        Dockerfile(dockerfile, "USER").Should().NotBeNullOrEmpty().And.NotBe("root");

        await using var app = AppProcess.Start(publish.Path, environment);
        var answered = await app.WaitUntilAnswersAsync("/healthz", TimeSpan.FromSeconds(60));

        answered.Should().BeTrue($"the published app should answer /healthz; it printed:\n{app.Output}");
        (await app.WaitUntilAnswersAsync("/readyz", TimeSpan.FromSeconds(30))).Should().BeTrue($"the published app should get ready; it printed:\n{app.Output}");
        File.Exists(Path.Combine(volume.Path, "backstroke.db")).Should().BeTrue("the database belongs on the volume");

        await ProcessWorld.TerminateAsync(app.Id);
        (await app.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, $"SIGTERM is a clean stop; the app printed:\n{app.Output}");
    }

    /// <summary>The ENV of the final stage, with the volume path mapped onto a temporary directory.</summary>
    private static Dictionary<string, string?> ImageEnvironment(string[] dockerfile, string volume)
    {
        var finalStage = dockerfile.Skip(Array.FindLastIndex(dockerfile, l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        var text = string.Join("\n", finalStage).Replace("\\\n", " ", StringComparison.Ordinal);
        return EnvLine().Matches(text)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => (string?)pair[1].Replace("/data", volume, StringComparison.Ordinal));
    }

    private static string? Dockerfile(string[] dockerfile, string instruction) =>
        dockerfile.LastOrDefault(l => l.StartsWith(instruction + " ", StringComparison.Ordinal))?[(instruction.Length + 1)..].Trim();

    private static async Task RunAsync(string command)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(parts[0], parts[1..])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, $"`{command}` failed:\n{await output}\n{await error}");
    }

    [GeneratedRegex(@"^RUN (dotnet publish .*)$")]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"^ENV (.*)$", RegexOptions.Multiline)]
    private static partial Regex EnvLine();
}
