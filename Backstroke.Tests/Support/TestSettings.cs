namespace Backstroke.Tests.Support;

/// <summary>
/// The one settings preset of the tests: the app talks to the GitHub simulator at <c>gitHub</c>, and retries and
/// queue checks are quick so waits stay short. Tests add or override keys on top, as environment variables would.
/// </summary>
internal static class TestSettings
{
    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";

    public static Dictionary<string, string?> For(Uri gitHub, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["GitHub:ApiUrl"] = gitHub.ToString(),
            ["GitHub:WebUrl"] = gitHub.ToString(),
            ["Sync:RetryBaseDelay"] = "00:00:00.050",
            ["Sync:RetryMaxDelay"] = "00:00:00.500",
            ["Sync:PollInterval"] = "00:00:00.100",
        };
        return With(settings, extra);
    }

    /// <summary>The preset plus an OAuth app, so users sign in through the simulator's github.com pages, and the address
    /// the OAuth callback comes back to.</summary>
    public static Dictionary<string, string?> WithSignIn(Uri gitHub, Uri publicUrl, IDictionary<string, string?>? extra = null)
    {
        var settings = For(gitHub);
        settings["Backstroke:PublicUrl"] = publicUrl.ToString();
        settings["GitHub:ClientId"] = ClientId;
        settings["GitHub:ClientSecret"] = ClientSecret;
        return With(settings, extra);
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, IDictionary<string, string?>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        // In a PostgreSQL test class, settings that name a data directory name its database too, so that a real
        // process started with them (not only a BackstrokeApplication) finds the same data.
        if (PostgresTests.Active && !settings.ContainsKey("Database:Provider")
            && settings.TryGetValue("Backstroke:DataDirectory", out var directory) && !string.IsNullOrEmpty(directory))
        {
            settings["Database:Provider"] = "Postgres";
            settings["Database:ConnectionString"] = PostgresCluster.Shared.DatabaseFor(Path.GetFullPath(directory));
        }

        return settings;
    }
}
