var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "Backstroke.FakeGitHub");
app.Run();
