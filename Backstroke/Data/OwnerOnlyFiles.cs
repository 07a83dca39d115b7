using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Backstroke.Data;

/// <summary>
/// The data directory holds the database (tokens, encrypted) and the keys that decrypt them: on Unix it is kept 0700
/// and the files Backstroke keeps there 0600, whoever created them and whatever the process's umask. SQLite gives its
/// -wal, -shm and -journal files the mode of the database file, so a database created 0600 keeps them private too.
/// </summary>
internal static class OwnerOnlyFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly EnumerationOptions Everything = new() { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };

    /// <summary>The folder of the data directory where Data Protection keeps its keys.</summary>
    public const string KeysFolder = "keys";

    /// <summary>
    /// Creates <paramref name="directory"/> as 0700 or tightens it; with <paramref name="everything"/>, also whatever is
    /// under it (for folders that are Backstroke's alone: the data directory itself may be one the operator shares, so
    /// only what Backstroke put there is touched). Returns what could not be tightened (owned by another user), so the
    /// caller can say so.
    /// </summary>
    public static IReadOnlyList<string> Restrict(string directory, bool everything)
    {
        var failed = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return failed;
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        SetMode(directory, DirectoryMode, failed);
        if (everything)
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", Everything))
            {
                if (entry.LinkTarget is null)
                {
                    SetMode(entry.FullName, entry is DirectoryInfo ? DirectoryMode : FileMode, failed);
                }
            }
        }

        return failed;
    }

    /// <summary>Creates the SQLite database <paramref name="path"/> as an empty 0600 file unless it exists (SQLite takes an
    /// empty file for a new database), and tightens it and the journal files SQLite keeps beside it.</summary>
    public static IReadOnlyList<string> RestrictDatabase(string path)
    {
        var failed = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            return failed;
        }

        if (!File.Exists(path))
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file))
            {
                SetMode(file, FileMode, failed);
            }
        }

        return failed;
    }

    private static void SetMode(string path, UnixFileMode mode, List<string> failed)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            if (File.GetUnixFileMode(path) != mode)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            failed.Add(path);
        }
    }

    /// <summary>Data Protection's file repository, with each key file made 0600 as soon as it is written.</summary>
    internal sealed class KeyRepository(DirectoryInfo directory, ILoggerFactory loggers) : FileSystemXmlRepository(directory, loggers)
    {
        public override void StoreElement(XElement element, string friendlyName)
        {
            base.StoreElement(element, friendlyName);
            Restrict(Directory.FullName, everything: true);
        }
    }
}
