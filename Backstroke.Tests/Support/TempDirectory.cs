namespace Backstroke.Tests.Support;

/// <summary>A fresh directory that is removed with everything in it when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backstroke-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that has just exited may still hold a file for a moment; the OS cleans temp in the end.
        }
    }
}
