using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Backstroke.Data;

/// <summary>
/// The data directory holds the database (tokens, if encrypted) and the keys that decrypt them: on Unix it is kept
/// 0700 and everything in it 0600, whoever created it and whatever the process's umask. SQLite gives its -wal, -shm
/// and -journal files the mode of the database file, so a database created 0600 keeps them private too.
/// </summary>
internal static partial class OwnerOnlyFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly EnumerationOptions Everything = new() { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };

    /// <summary>Creates <paramref name="directory"/> or tightens it, and everything under it. Returns what could not be
    /// tightened (a directory owned by someone else), so the caller can say so.</summary>
    public static IReadOnlyList<string> Restrict(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return [];
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        var failed = new List<string>();
        SetMode(directory, DirectoryMode, failed);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", Everything))
        {
            if (entry.LinkTarget is null)
            {
                SetMode(entry.FullName, entry is DirectoryInfo ? DirectoryMode : FileMode, failed);
            }
        }

        return failed;
    }

    /// <summary>Creates the empty file <paramref name="path"/> as 0600 unless it exists, so that whatever writes it
    /// next (SQLite) finds it private.</summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        using var _ = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
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
            Restrict(Directory.FullName);
        }
    }
}
