using Backstroke.Tests.Support;

namespace Backstroke.Tests.Sync;

/// <summary>SPEC §8: an invalid Sync setting stops the start with a sentence naming the key.</summary>
public sealed class SyncOptionsTests
{
    [Theory]
    [InlineData("Sync__Workers", "0", "Sync:Workers must be between 1 and 64")]
    [InlineData("Sync__MaxAttempts", "-1", "Sync:MaxAttempts must be between 1 and 100")]
    [InlineData("GitHub__RateLimitReserve", "-5", "GitHub:RateLimitReserve must be between 0 and 10000")]
    public async Task An_invalid_sync_setting_stops_the_start(string variable, string value, string expected)
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
