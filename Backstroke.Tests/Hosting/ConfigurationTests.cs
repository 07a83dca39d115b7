using System.Diagnostics;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>An invalid setting stops the start with a sentence naming the key.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class ConfigurationTests(ITestOutputHelper output)
{
    [Theory]
    [Slow(SlowAttribute.RealProcess)]
    [InlineData("Backstroke__PublicUrl", "not a url", "Backstroke:PublicUrl must be an absolute http or https URL")]
    [InlineData("GitHub__ApiUrl", "ftp://example.com/", "GitHub:ApiUrl must be an absolute http or https URL")]
    [InlineData("GitHub__ClientId", "abc", "GitHub:ClientSecret is missing while GitHub:ClientId is set")]
    [InlineData("Database__Provider", "Oracle", "Database:Provider")]
    [InlineData("Database__MigrateOnStart", "sometimes", "Database:MigrateOnStart")]
    [InlineData("Database__Synchronous", "Off", "Database:Synchronous")]
    [InlineData("Sync__Workers", "0", "Sync:Workers must be between 1 and 64")]
    [InlineData("Sync__MaxAttempts", "-1", "Sync:MaxAttempts must be between 1 and 100")]
    [InlineData("GitHub__RateLimitReserve", "-5", "GitHub:RateLimitReserve must be between 0 and 10000")]
    [InlineData("GitHub__SecondaryLimits__MaxInFlight", "0", "GitHub:SecondaryLimits:MaxInFlight must be between 1 and 1000")]
    [InlineData("GitHub__SecondaryLimits__BackoffMax", "00:00:10", "GitHub:SecondaryLimits:BackoffMax must be between BackoffBase (00:01:00)")]
    [InlineData("Polling__StaleAfter", "00:00:00", "Polling:StaleAfter must be a duration between 00:00:01 and 7.00:00:00")]
    [InlineData("Polling__WebhookSafetyInterval", "00:00:00", "Polling:WebhookSafetyInterval must be a duration between 00:00:01 and 7.00:00:00")]
    [InlineData("Polling__BatchSize", "0", "Polling:BatchSize must be between 1 and 100000")]
    [InlineData("Operations__RetentionDays", "0", "Operations:RetentionDays must be between 1 and 36500")]
    [InlineData("Legacy__ClassicWebhooks", "maybe", "Legacy:ClassicWebhooks")]
    [InlineData("Backstroke__TrustedProxies__0", "proxy.local", "Backstroke:TrustedProxies must list IP addresses or networks")]
    public async Task An_invalid_setting_stops_the_start_with_a_sentence_naming_the_key(string variable, string value, string expected)
    {
        using var data = new TempDirectory();
        await using var app = AppProcess.Start(AppProcess.BuiltAppDirectory, new Dictionary<string, string?>
        {
            ["Backstroke__DataDirectory"] = data.Path,
            [variable] = value,
        }, output);

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().NotBe(0);
        app.Output.Should().Contain(expected).And.Contain("Backstroke cannot start")
            .And.NotContain("   at ", "a configuration mistake deserves a sentence, not a stack trace");
    }

    [Fact]
    public async Task A_read_only_data_directory_stops_the_start_with_a_sentence()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "data");
        Directory.CreateDirectory(data);
        var readOnly = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(parent.Path, readOnly | UnixFileMode.UserWrite);
        File.SetUnixFileMode(data, readOnly);

        var (exitCode, output) = await RunUnprivilegedAsync(new Dictionary<string, string?> { ["Backstroke__DataDirectory"] = data });

        exitCode.Should().Be(1, output);
        output.Should().Contain("Backstroke cannot start").And.Contain($"Backstroke:DataDirectory '{data}' cannot be written")
            .And.NotContain("   at ", "a read-only volume deserves a sentence, not a stack trace");
    }

    /// <summary>
    /// Runs the built app to its exit. Modes mean nothing to root, so as root the app runs as the unprivileged user
    /// nobody, as it does in the image.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunUnprivilegedAsync(Dictionary<string, string?> environment)
    {
        var dll = Path.Combine(AppProcess.BuiltAppDirectory, "Backstroke.dll");
        var asRoot = Environment.UserName == "root";
        var start = asRoot
            ? new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", dll])
            : new ProcessStartInfo("dotnet", [dll]);
        start.WorkingDirectory = AppProcess.BuiltAppDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["HOME"] = Path.GetTempPath();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Without_GitHub_credentials_the_app_still_starts()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?>
        {
            ["GitHub:ClientId"] = "",
            ["GitHub:ClientSecret"] = "",
        }, output: output);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        response.IsSuccessStatusCode.Should().BeTrue();
    }
}
