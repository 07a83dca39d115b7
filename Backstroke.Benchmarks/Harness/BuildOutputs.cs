using System.Diagnostics;

namespace Backstroke.Benchmarks.Harness;

/// <summary>
/// The built app and simulator, in the configuration the harness itself was built in: `dotnet run -c Release`
/// builds all three in Release (they are project references). When an output is missing the harness builds it.
/// </summary>
internal sealed record BuildOutputs(string RepositoryRoot, string Configuration, string AppDirectory, string SimulatorDirectory)
{
    public const string AppDll = "Backstroke.dll";
    public const string SimulatorDll = "Backstroke.FakeGitHub.dll";

    public static string CurrentConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static async Task<BuildOutputs> LocateAsync(TextWriter log)
    {
        var root = FindRepositoryRoot();
        var configuration = CurrentConfiguration;
        var outputs = new BuildOutputs(
            root,
            configuration,
            Path.Combine(root, "Backstroke", "bin", configuration, "net10.0"),
            Path.Combine(root, "Backstroke.FakeGitHub", "bin", configuration, "net10.0"));
        foreach (var (directory, dll, project) in new[]
        {
            (outputs.AppDirectory, AppDll, "Backstroke/Backstroke.csproj"),
            (outputs.SimulatorDirectory, SimulatorDll, "Backstroke.FakeGitHub/Backstroke.FakeGitHub.csproj"),
        })
        {
            if (!File.Exists(Path.Combine(directory, dll)))
            {
                log.WriteLine($"Building {project} ({configuration})...");
                await BuildAsync(root, project, configuration);
            }
        }

        return outputs;
    }

    private static async Task BuildAsync(string root, string project, string configuration)
    {
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "--nologo", "-v", "quiet"])
        {
            WorkingDirectory = root,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start dotnet build.");
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build {project} -c {configuration} failed with exit code {build.ExitCode}.");
        }
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Backstroke.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Backstroke.sln was not found above the harness or the current directory.");
    }
}
