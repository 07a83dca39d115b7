using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>A PostgreSQL the app cannot use stops the start with a sentence naming the setting, never its password.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class PostgresStartupTests(ITestOutputHelper output)
{
    private const string Password = "pg-password-never-shown";

    [Fact]
    [Slow(SlowAttribute.RealProcess)]
    public async Task An_unreachable_server_stops_the_start_with_a_sentence_naming_the_connection_string()
    {
        // Nothing listens on this port.
        var port = FreePort.Next();
        var (exitCode, printed) = await StartAsync($"Host=127.0.0.1;Port={port};Database=backstroke;Username=backstroke;Password={Password};Timeout=3");

        exitCode.Should().Be(1);
        printed.Should().Contain("Backstroke cannot start").And.Contain("Database:ConnectionString")
            .And.Contain($"Host=127.0.0.1; Port={port}; Database=backstroke; Username=backstroke", "the sentence says where it tried")
            .And.NotContain(Password).And.NotContain("   at ", "a set-up mistake deserves a sentence, not a stack trace");
    }

    [Fact]
    [Slow(SlowAttribute.RealProcess)]
    public async Task Postgres_without_a_connection_string_stops_the_start_with_a_sentence()
    {
        var (exitCode, printed) = await StartAsync(connectionString: null);

        exitCode.Should().Be(1);
        printed.Should().Contain("Backstroke cannot start").And.Contain("Database:ConnectionString is required when Database:Provider is 'Postgres'")
            .And.NotContain("   at ");
    }

    private async Task<(int ExitCode, string Output)> StartAsync(string? connectionString)
    {
        using var data = new TempDirectory();
        await using var app = AppProcess.Start(AppProcess.BuiltAppDirectory, new Dictionary<string, string?>
        {
            ["Backstroke__DataDirectory"] = data.Path,
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = connectionString,
        }, output);
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, app.Output);
    }
}
