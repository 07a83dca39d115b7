using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Data;

/// <summary>
/// A database that refuses writes wedges nothing. The data directory is a small filesystem of its own
/// that the test fills up, so SQLite meets a real "disk full" (SQLITE_FULL), then frees again.
/// </summary>
[Slow(SlowAttribute.RealProcess)]
[Collection(RealProcessCollection.Name)]
public sealed class FullDiskTests
{
    private const string Secret = "full-disk-webhook-secret";

    [Fact]
    public async Task A_full_disk_answers_503_turns_readiness_off_and_once_space_returns_every_run_completes()
    {
        using var disk = SmallDisk.Mount();
        await using var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", SyncWorld.OwnerToken);
        gitHub.CreateUser("up");
        gitHub.CreateRepo("up", "proj");
        gitHub.CreateRepo("me", "proj", forkOf: "up/proj");
        var head = gitHub.Commit("up", "proj", "main", "New upstream work");
        var settings = SyncWorld.Settings(gitHub.BaseUrl, new Dictionary<string, string?>
        {
            ["Backstroke:DataDirectory"] = disk.Path,
            ["GitHub:WebhookSecret"] = Secret,
        });
        Backstroke.Data.Link link;
        await using (var setup = new BackstrokeApplication(settings))
        {
            using var _ = setup.CreateClient();
            link = await TestLinks.AddAsync(setup.Services, SyncWorld.OwnerToken, TestLinks.Repo("up", "proj", "main", "me", "proj", "main"));
        }

        // A real process: its log shows when the result could not be recorded, and no developer page stands in the way.
        await using var app = AppProcess.Start(AppProcess.BuiltAppDirectory, settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value));
        (await app.WaitUntilAnswersAsync("/healthz", TimeSpan.FromSeconds(30))).Should().BeTrue(app.Output);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        await Operations.WaitUntilAsync(async () => (await ReadyzAsync(client)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the app is ready");
        // The sync's pull request is slow to come, so the disk fills while it runs.
        gitHub.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/me/proj/pulls", DelayMs = 2_000, Count = 1 });
        var running = await Operations.TriggerAsync(client, link.WebhookId);
        await Operations.WaitUntilAsync(async () => (await Operations.GetAsync(client, running)).Str("status") == "running", TimeSpan.FromSeconds(10), "the sync runs");

        disk.Fill();

        using var trigger = await client.PostAsync(new Uri($"/_{link.WebhookId}", UriKind.Relative), null);
        using var push = await new WebhookSender(client, Secret).SendAsync("push", Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(new { @ref = "refs/heads/main", after = head, repository = new { full_name = "up/proj" } })));
        var notReady = await ReadyzAsync(client);
        // The sync does its work on GitHub; recording it is what has to wait.
        await Operations.WaitUntilAsync(() => Task.FromResult(app.Output.Contains("refused to record the result", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "recording the result fails");
        var whileFull = await Operations.GetAsync(client, running);

        trigger.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await trigger.ErrorOf()).Should().Contain("cannot store");
        trigger.Headers.RetryAfter.Should().NotBeNull();
        push.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await push.ErrorOf()).Should().Contain("cannot store");
        notReady.Status.Should().Be(HttpStatusCode.ServiceUnavailable, notReady.Body.GetRawText());
        notReady.Body.At("failing").EnumerateArray().Select(e => e.GetString()).Should().Contain("database-writes");
        gitHub.PullRequests("me", "proj").Should().ContainSingle();
        whileFull.Str("status").Should().Be("running");

        disk.Free();

        var recorded = await Operations.WaitUntilDoneAsync(client, running);
        recorded.Str("status").Should().Be("ok", recorded.GetRawText());
        await Operations.WaitUntilAsync(async () => (await ReadyzAsync(client)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the app is ready again");
        var again = await Operations.WaitUntilDoneAsync(client, await Operations.TriggerAsync(client, link.WebhookId));
        again.Str("status").Should().Be("ok", "the link is not wedged: " + again.GetRawText());
        gitHub.PullRequests("me", "proj").Should().ContainSingle(p => p.State == "open");
        app.Output.Should().NotContain(SyncWorld.OwnerToken).And.NotContain(link.WebhookId);
    }

    [Fact]
    public async Task Link_edits_on_a_full_disk_answer_503_with_a_sentence_and_succeed_once_space_returns()
    {
        using var disk = SmallDisk.Mount();
        // In process and in Development, as `dotnet run`: the developer exception page must not answer instead.
        var env = new AppWithGitHub();
        env.Settings["Backstroke:DataDirectory"] = disk.Path;
        await env.InitializeAsync();
        try
        {
            var login = AppWithGitHub.NewLogin("full");
            using var owner = await env.SignInAsync(login);
            var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
            var id = await owner.CreateLinkAsync();
            var body = JsonRequests.LinkBody("Saved after all", upstream, fork, enabled: true);

            disk.Fill();
            using var edit = await owner.PostJsonAsync($"/v1/links/{id}", body);
            using var create = await owner.PostJsonAsync("/v1/links");
            disk.Free();
            using var retried = await owner.PostJsonAsync($"/v1/links/{id}", body);

            edit.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await edit.ErrorOf()).Should().Be("The database cannot store anything right now (the disk may be full); nothing was changed. Try again in a minute.");
            create.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await create.ErrorOf()).Should().Contain("cannot store");
            retried.IsSuccessStatusCode.Should().BeTrue(await retried.Content.ReadAsStringAsync());
            (await owner.GetJsonAsync($"/v1/links/{id}")).Str("name").Should().Be("Saved after all");
        }
        finally
        {
            await env.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>A tmpfs of a few megabytes (mounting needs root, as in CI), that <see cref="Fill"/> fills up.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private readonly TempDirectory directory = new();

        private SmallDisk()
        {
        }

        public string Path => directory.Path;

        private string Filler => System.IO.Path.Combine(Path, "filler");

        public static SmallDisk Mount()
        {
            var disk = new SmallDisk();
            var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", disk.Path);
            if (code != 0)
            {
                disk.directory.Dispose();
                throw new InvalidOperationException($"This test mounts a small tmpfs for the data directory and needs root to do so: {output}");
            }

            return disk;
        }

        /// <summary>Writes until the filesystem has no room left.</summary>
        public void Fill()
        {
            // A write-ahead log keeps its size after a checkpoint, and SQLite writes new frames into that room without
            // asking the filesystem for more: truncated first, the log must grow for the next write, which then fails.
            foreach (var database in Directory.EnumerateFiles(Path, "*.db"))
            {
                TruncateLog(database);
            }

            var chunk = new byte[64 * 1024];
            using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            try
            {
                while (true)
                {
                    file.Write(chunk);
                }
            }
            catch (IOException)
            {
                // No space left on device: full, as intended.
            }

            // Whatever small room a partial chunk left is taken too.
            try
            {
                while (true)
                {
                    file.Write(chunk, 0, 1);
                }
            }
            catch (IOException)
            {
            }
        }

        public void Free() => File.Delete(Filler);

        /// <summary>A checkpoint that truncates waits for readers; the app's own reads are short, so it is retried.</summary>
        private static void TruncateLog(string database)
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
            connection.Open();
            using (var wait = connection.CreateCommand())
            {
                // Without a busy handler the checkpoint gives up at once when a read is under way.
                wait.CommandText = "PRAGMA busy_timeout = 5000;";
                wait.ExecuteNonQuery();
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                using var result = command.ExecuteReader();
                // The first column is 1 while a reader or writer keeps the checkpoint from finishing.
                if (result.Read() && result.GetInt32(0) == 0)
                {
                    return;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"The write-ahead log of {database} could not be truncated before filling the disk.");
                }

                Thread.Yield();
            }
        }

        public void Dispose()
        {
            // Lazily: the app's pooled connections may still hold the database open for a moment.
            Run("umount", "-l", Path);
            directory.Dispose();
        }

        private static (int Code, string Output) Run(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Trim());
        }
    }
}
