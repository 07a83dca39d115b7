using System.Globalization;

namespace Backstroke.Benchmarks.Harness;

/// <summary>What the kernel said of one run inside a memory cgroup.</summary>
internal sealed record CgroupOutcome(int LimitMb, bool Survived, long OomKills, long FailCount, double? MaxUsageMb, bool Killed, string? Note);

/// <summary>
/// A memory cgroup of its own for the app, made under the harness's own cgroup (so the machine's hierarchy above it is
/// left as it is): cgroup v1 (<c>memory.limit_in_bytes</c>, and <c>memory.memsw.limit_in_bytes</c> at the same value
/// so that swap cannot hide the limit) or v2 (<c>memory.max</c>, <c>memory.swap.max</c> 0). The kernel counts page
/// cache against the limit too, as a container's limit does. Needs root and a writable hierarchy; <see cref="Create"/>
/// says why not otherwise.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private readonly bool v2;

    private MemoryCgroup(string path, bool v2)
    {
        Path = path;
        this.v2 = v2;
    }

    public string Path { get; }

    /// <summary>Where the app's shell writes its own PID before it becomes the app (<c>exec</c>).</summary>
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");

    public static MemoryCgroup? Create(string name, int limitMb, out string? whyNot)
    {
        whyNot = null;
        var bytes = (limitMb * 1024L * 1024L).ToString(CultureInfo.InvariantCulture);
        try
        {
            if (Parent(v2: false) is { } v1Parent)
            {
                var path = System.IO.Path.Combine(v1Parent, name);
                Directory.CreateDirectory(path);
                // The memory+swap limit cannot be below the memory limit: set in the order that keeps that true.
                var memsw = System.IO.Path.Combine(path, "memory.memsw.limit_in_bytes");
                File.WriteAllText(System.IO.Path.Combine(path, "memory.limit_in_bytes"), bytes);
                if (File.Exists(memsw))
                {
                    File.WriteAllText(memsw, bytes);
                }

                return new MemoryCgroup(path, v2: false);
            }

            if (Parent(v2: true) is { } v2Parent)
            {
                var path = System.IO.Path.Combine(v2Parent, name);
                Directory.CreateDirectory(path);
                File.WriteAllText(System.IO.Path.Combine(path, "memory.max"), bytes);
                var swap = System.IO.Path.Combine(path, "memory.swap.max");
                if (File.Exists(swap))
                {
                    File.WriteAllText(swap, "0");
                }

                return new MemoryCgroup(path, v2: true);
            }

            whyNot = "no memory cgroup hierarchy here (neither cgroup v1's memory controller nor cgroup v2's memory.max)";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            whyNot = $"the memory cgroup is not writable here ({ex.Message}); run the harness as root on a host that allows it";
        }

        return null;
    }

    public CgroupOutcome Outcome(int limitMb, ChildProcess? app)
    {
        var (kills, failCount, maxUsage) = v2
            ? (Field("memory.events", "oom_kill"), Field("memory.events", "max"), Number("memory.peak"))
            // With swap limited too, the memory+swap counter is the one that reaches the limit.
            : (Field("memory.oom_control", "oom_kill"), Math.Max(Number("memory.failcnt") ?? 0, Number("memory.memsw.failcnt") ?? 0), Number("memory.max_usage_in_bytes"));
        // A process the kernel killed for memory exits by SIGKILL: 128 + 9.
        var killed = app is { HasExited: true } && app.ExitCode == 137;
        var survived = kills == 0 && app is { HasExited: false };
        return new CgroupOutcome(limitMb, survived, kills, failCount, maxUsage is { } used ? Math.Round(used / 1024.0 / 1024.0, 1) : null, killed,
            app is { HasExited: true } && !killed ? $"the app exited with code {app.ExitCode}" : null);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
            // Still holds a process that is on its way out; the empty group is removed with the next run's.
        }
    }

    /// <summary>The harness's own cgroup directory for the memory controller, if it is there and writable.</summary>
    private static string? Parent(bool v2)
    {
        var root = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
        var marker = v2 ? "memory.max" : "memory.limit_in_bytes";
        if (!File.Exists("/proc/self/cgroup") || !Directory.Exists(root))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && (v2 ? parts[0] == "0" && parts[1] == "" : parts[1].Split(',').Contains("memory")))
            {
                var own = System.IO.Path.Combine(root, parts[2].TrimStart('/'));
                // v2: a group's own memory.max is made by its parent; a child can be made where the controller is enabled.
                if (Directory.Exists(own) && (v2 ? File.Exists(System.IO.Path.Combine(own, "cgroup.subtree_control")) : File.Exists(System.IO.Path.Combine(own, marker))))
                {
                    return own;
                }
            }
        }

        return File.Exists(System.IO.Path.Combine(root, marker)) || (v2 && File.Exists(System.IO.Path.Combine(root, "cgroup.subtree_control"))) ? root : null;
    }

    private long Field(string file, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(System.IO.Path.Combine(Path, file)))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && parts[0] == name)
                {
                    return long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private long? Number(string file)
    {
        try
        {
            return long.Parse(File.ReadAllText(System.IO.Path.Combine(Path, file)).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return null;
        }
    }
}
