using Backstroke.Tests.Support;

namespace Backstroke.Tests.Hosting;

/// <summary>
/// The data directory holds the tokens and the keys that decrypt them: on Unix it is 0700 and every file in it 0600,
/// whoever created them (the operator's volume, SQLite's -wal and -shm, Data Protection's key files, an older version).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Slow(SlowAttribute.RealProcess)]
[Collection(RealProcessCollection.Name)]
public sealed class FilePermissionTests
{
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Shared = OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task The_data_directory_and_everything_in_it_are_readable_by_their_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var clientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        await using var world = await ProcessWorld.StartAsync(new Dictionary<string, string?>
        {
            ["GitHub:ClientId"] = "perm-client",
            ["GitHub:ClientSecret"] = clientSecret,
        });
        world.GitHub.State.OAuth.AddApp("perm-client", clientSecret);
        world.GitHub.CreateUser("ada");
        // As a volume made by the operator would be.
        File.SetUnixFileMode(world.DataDirectory, OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using (var app = await world.StartAppAsync())
        {
            // A sign-in stores a protected token: the database is written (WAL) and a key exists.
            using var client = await world.SignInAsync(app, "ada");
            Modes(world.DataDirectory).Should().Contain(new Dictionary<string, UnixFileMode>
            {
                ["."] = OwnerDirectory,
                ["backstroke.db"] = OwnerFile,
                ["backstroke.db-wal"] = OwnerFile,
                ["backstroke.db-shm"] = OwnerFile,
                ["keys"] = OwnerDirectory,
            });
            AssertOwnerOnly(world.DataDirectory);
            Directory.GetFiles(Path.Combine(world.DataDirectory, "keys"), "key-*.xml").Should().NotBeEmpty();

            await ProcessWorld.TerminateAsync(app.Id);
            (await app.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        }

        // Files an older version (or a copy from a backup) left readable are made private at the next start.
        File.SetUnixFileMode(Path.Combine(world.DataDirectory, "backstroke.db"), Shared);
        foreach (var key in Directory.GetFiles(Path.Combine(world.DataDirectory, "keys")))
        {
            File.SetUnixFileMode(key, Shared);
        }

        await using (var again = await world.StartAppAsync())
        {
            AssertOwnerOnly(world.DataDirectory);
        }
    }

    private static void AssertOwnerOnly(string directory)
    {
        foreach (var (path, mode) in Modes(directory))
        {
            var isDirectory = path == "." || Directory.Exists(Path.Combine(directory, path));
            mode.Should().Be(isDirectory ? OwnerDirectory : OwnerFile, $"{path} must be readable by its owner only");
        }
    }

    private static Dictionary<string, UnixFileMode> Modes(string directory) =>
        Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Append(directory)
            .ToDictionary(p => p == directory ? "." : Path.GetRelativePath(directory, p), File.GetUnixFileMode);
}
