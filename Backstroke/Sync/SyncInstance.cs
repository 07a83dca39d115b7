using System.Security.Cryptography;
using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>
/// The name this instance claims operations under (<c>Backstroke:InstanceId</c>). What a process holds when it dies
/// stays claimed under its name until the lease runs out; a process that starts under the same name knows the holder is
/// gone (it is the holder) and takes that work back at once, while another instance's work waits for its lease.
/// <para>
/// Unset, the name depends on the provider. SQLite serves one instance, so a name kept in the data directory makes the
/// restart after a kill finish the interrupted work at once. On PostgreSQL several instances may share a data directory
/// (or have none that lasts), so each start picks a new name: safe whatever the set-up, at the cost of a restarted
/// instance's old work waiting out its lease. Operators who give each instance a stable, unique name get both.
/// </para>
/// </summary>
internal sealed class SyncInstance(IOptions<BackstrokeOptions> backstroke, IOptions<DatabaseOptions> database)
{
    public const string FileName = "instance-id";

    // Read on first use, by the workers, which start after the data directory has been prepared.
    private readonly Lazy<string> id = new(() => Resolve(backstroke.Value, database.Value));

    public string Id => id.Value;

    private static string Resolve(BackstrokeOptions backstroke, DatabaseOptions database)
    {
        if (backstroke.InstanceId is { Length: > 0 } configured)
        {
            return configured;
        }

        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return NewId();
        }

        var path = Path.Combine(backstroke.DataDirectoryFullPath, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } kept && BackstrokeOptionsValidator.IsInstanceId(kept))
        {
            return kept;
        }

        var created = NewId();
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.FileMode;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(created);
        }

        return created;
    }

    // The host name tells an operator which machine holds a row; the random part keeps two processes on one host apart.
    private static string NewId()
    {
        var host = new string(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_').Take(60).ToArray());
        return $"{(host.Length > 0 ? host : "backstroke")}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
