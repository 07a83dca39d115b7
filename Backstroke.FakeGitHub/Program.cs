namespace Backstroke.FakeGitHub;

/// <summary>
/// dotnet run --project Backstroke.FakeGitHub -- --urls http://127.0.0.1:5055 [--seed demo] [--no-secondary-limits].
/// A namespaced class, not top-level statements, so its Program does not clash with the app's in the tests.
/// </summary>
internal static class Program
{
    private const string NoSecondaryLimits = "--no-secondary-limits";

    public static async Task Main(string[] args)
    {
        var options = new FakeGitHubServerOptions { ConsoleLogging = true };
        var seedAt = Array.IndexOf(args, "--seed");
        options.Seed = seedAt >= 0 && seedAt + 1 < args.Length ? args[seedAt + 1] : null;
        options.SecondaryRateLimits = !args.Contains(NoSecondaryLimits);

        // The flag has no value, so it stays out of the configuration, which would read the next argument as one.
        var app = FakeGitHubApp.Build(options, [.. args.Where(a => a != NoSecondaryLimits)]);
        await app.StartAsync();
        var baseUrl = FakeGitHubApp.ListeningUrl(app);
        Console.WriteLine($"GitHub simulator listening on {baseUrl} (API and OAuth at the root; control API under {baseUrl}_fake/)");
        Console.WriteLine($"OAuth app: client id {options.OAuthClientId}, client secret {options.OAuthClientSecret}");
        if (options.Seed == "demo")
        {
            foreach (var fact in DemoSeed.Apply(FakeGitHubApp.StateOf(app)))
            {
                Console.WriteLine("seed: " + fact);
            }
        }

        await app.WaitForShutdownAsync();
    }
}
