using Backstroke.Tests.Support;

namespace Backstroke.Tests.Hosting;

/// <summary>SPEC §8: an invalid setting stops the start with a sentence naming the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
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
        });

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().NotBe(0);
        app.Output.Should().Contain(expected).And.Contain("Backstroke cannot start")
            .And.NotContain("   at ", "a configuration mistake deserves a sentence, not a stack trace");
    }

    [Fact]
    public async Task Without_GitHub_credentials_the_app_still_starts()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?>
        {
            ["GitHub:ClientId"] = "",
            ["GitHub:ClientSecret"] = "",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        response.IsSuccessStatusCode.Should().BeTrue();
    }
}
