using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Data;

public sealed class MigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" }, output: output);
        using var client = app.CreateClient();

        var pending = await app.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        pending.Should().BeFalse("every change to the model needs a migration: run `dotnet ef migrations add <Name> --project Backstroke --output-dir Data/Migrations`");
    }
}
