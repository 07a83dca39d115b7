using Backstroke.Tests.Support;

namespace Backstroke.Tests.Polling;

/// <summary>SPEC §8: an invalid polling, retention or webhook setting stops the start with a sentence naming the key.</summary>
public sealed class WatchSettingsTests
{
    [Theory]
    [InlineData("Polling__StaleAfter", "00:00:00", "Polling:StaleAfter must be a duration between 00:00:01 and 7.00:00:00")]
    [InlineData("Polling__BatchSize", "0", "Polling:BatchSize must be between 1 and 100000")]
    [InlineData("Operations__RetentionDays", "0", "Operations:RetentionDays must be between 1 and 36500")]
    [InlineData("Legacy__ClassicWebhooks", "maybe", "Legacy:ClassicWebhooks")]
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
        app.Output.Should().Contain(expected).And.Contain("Backstroke cannot start").And.NotContain("   at ");
    }
}
