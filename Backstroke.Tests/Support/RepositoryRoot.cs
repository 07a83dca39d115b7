namespace Backstroke.Tests.Support;

/// <summary>The folder holding Backstroke.sln, found from the test assembly's location.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Backstroke.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Backstroke.sln was not found above {AppContext.BaseDirectory}.");
    }
}
