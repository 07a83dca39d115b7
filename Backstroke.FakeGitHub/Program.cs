namespace Backstroke.FakeGitHub;

internal static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/", () => "Backstroke.FakeGitHub");
        await app.RunAsync();
    }
}
