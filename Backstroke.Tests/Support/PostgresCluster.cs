using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Backstroke.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster started by the tests themselves (no Docker): <c>initdb</c> in a fresh directory,
/// the server on a free loopback port with durability off (fsync, synchronous commit and full-page writes: a crash
/// of the machine loses a cluster nobody keeps; a test that stops the server on purpose keeps synchronous commits),
/// and a database per data directory. One cluster serves the whole
/// test run (<see cref="Shared"/>, started on first use, stopped when the test process exits); a test that stops the
/// server on purpose starts its own. <c>initdb</c> refuses to run as root, so under root the cluster runs as the
/// <c>postgres</c> user that Debian's package creates.
/// </summary>
internal sealed class PostgresCluster : IDisposable
{
    private static readonly Lazy<PostgresCluster> shared = new(() =>
    {
        var cluster = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    });

    private const string Prefix = "backstroke-pg-";

    private readonly string root;
    private readonly bool durableCommits;
    private readonly ConcurrentDictionary<string, string> databases = new(StringComparer.Ordinal);
    private int created;

    private PostgresCluster(string root, int port, bool durableCommits)
    {
        this.root = root;
        Port = port;
        this.durableCommits = durableCommits;
    }

    /// <summary>The directory holding initdb and pg_ctl (the newest version installed), or null.</summary>
    public static string? Binaries { get; } = FindBinaries();

    /// <summary>Set by CI: a missing PostgreSQL fails the PostgreSQL tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("BACKSTROKE_REQUIRE_POSTGRES") == "1";

    public static string? MissingReason => Binaries is not null ? null
        : "PostgreSQL is not installed (no initdb and pg_ctl under /usr/lib/postgresql/*/bin): install Debian's 'postgresql' package to run these tests.";

    public static PostgresCluster Shared => shared.Value;

    public int Port { get; }

    private string DataPath => Path.Combine(root, "data");

    /// <summary>The connection string of a database of its own for <paramref name="key"/> (a data directory: two apps
    /// on one data directory share one database, as they would share one SQLite file), created on first use.</summary>
    public string DatabaseFor(string key) => ConnectionString(databases.GetOrAdd(key, _ => CreateDatabase()));

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=30";

    /// <summary>A new empty database; its name.</summary>
    public string CreateDatabase()
    {
        // The port in the name: an app whose server went away never finds its database on another run's server that
        // took the port meanwhile.
        var name = $"test_{Port}_{Interlocked.Increment(ref created)}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return name;
    }

    /// <param name="durableCommits">A commit is in the write-ahead log when it returns, so that it survives
    /// <see cref="StopServer"/> (an immediate stop is a crash to the server); otherwise the last commits may be lost.</param>
    public static PostgresCluster Start(bool durableCommits = false)
    {
        var bin = Binaries ?? throw new InvalidOperationException(MissingReason);
        var asRoot = Environment.UserName == "root";
        RemoveStopped();
        var root = Path.Combine(Path.GetTempPath(), $"{Prefix}{Guid.NewGuid():N}"[..28]);
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            // initdb wants its directory private to the server's user.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (asRoot)
        {
            Run("chown", ["postgres:", root], asPostgres: false);
        }

        var cluster = new PostgresCluster(root, FreePort.Next(), durableCommits);
        Run(Path.Combine(bin, "initdb"), ["-D", cluster.DataPath, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asRoot);
        cluster.StartServer();
        return cluster;
    }

    /// <summary>Starts the server (again, after <see cref="StopServer"/>) on the same port and data.</summary>
    public void StartServer()
    {
        string[] options =
        [
            $"-p {Port}", $"-k {root}", "-c listen_addresses=127.0.0.1", "-c fsync=off", $"-c synchronous_commit={(durableCommits ? "on" : "off")}",
            "-c full_page_writes=off", "-c max_connections=400",
        ];
        Run(Path.Combine(Binaries!, "pg_ctl"), ["-D", DataPath, "-l", Path.Combine(root, "server.log"), "-w", "-o", string.Join(' ', options), "start"], Environment.UserName == "root");
    }

    /// <summary>Stops the server at once, as a crash or a lost network would look to the app.</summary>
    public void StopServer() =>
        Run(Path.Combine(Binaries!, "pg_ctl"), ["-D", DataPath, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(DataPath, "postmaster.pid")))
            {
                StopServer();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next run removes it (a test process that exits may be stopped before this is done).
            }
        }
    }

    /// <summary>Clusters of earlier runs whose server is no longer running (their process stopped it, then exited
    /// before the files were gone). Only old ones: test runs in other checkouts on this machine start theirs too.</summary>
    private static void RemoveStopped()
    {
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (!File.Exists(Path.Combine(stale, "data", "postmaster.pid")) && Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddMinutes(-10))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run's, still starting, or not ours to remove.
                }
            }
        }
    }

    private static void Run(string file, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var word in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(word);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within a minute.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }

    private static string? FindBinaries()
    {
        const string installed = "/usr/lib/postgresql";
        if (!Directory.Exists(installed))
        {
            return null;
        }

        return Directory.GetDirectories(installed)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault();
    }
}
