using Backstroke.Dashboard;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Backstroke.Tests.Dashboard;

/// <summary>The system page draws the last hour (queue depth, syncs ok and error, GitHub requests) as server-rendered SVG.</summary>
public sealed class SystemChartsTests
{
    [Fact]
    public async Task The_system_page_draws_a_sampled_minute_of_syncs_and_queue_as_svg_charts()
    {
        var app = new AppWithGitHub();
        var admin = AppWithGitHub.NewLogin("op");
        app.Settings["Backstroke:Admins:0"] = admin;
        await app.InitializeAsync();
        try
        {
            using var client = await app.SignInAsync(admin);
            var before = await client.GetStringAsync(new Uri("/system", UriKind.Relative));
            var id = await client.CreateLinkAsync();
            await app.App.WithDbAsync(async db =>
            {
                var now = DateTimeOffset.UtcNow;
                db.Operations.AddRange(
                    new Operation { Id = Ids.NewOperationId(), LinkId = id, Status = OperationStatus.Ok, EnqueuedAt = now, FinishedAt = now },
                    new Operation { Id = Ids.NewOperationId(), LinkId = id, Status = OperationStatus.Ok, EnqueuedAt = now, FinishedAt = now },
                    new Operation { Id = Ids.NewOperationId(), LinkId = id, Status = OperationStatus.Error, EnqueuedAt = now, FinishedAt = now, Error = "x" });
                return await db.SaveChangesAsync();
            });
            await app.App.Services.GetRequiredService<ActivitySampler>().SampleAsync(CancellationToken.None);

            var html = await client.GetStringAsync(new Uri("/system", UriKind.Relative));

            before.Should().Contain("The last hour").And.NotContain("<svg", "nothing is drawn before the first sample");
            html.Should().Contain("<svg class=\"chart\"").And.Contain("aria-label=\"Syncs a minute: ok 2, error 1\"")
                .And.Contain("aria-label=\"Queue depth, a bar a minute:").And.Contain("aria-label=\"GitHub requests a minute: requests ");
            System.Text.RegularExpressions.Regex.Matches(html, "<rect ").Count.Should().BeGreaterThanOrEqualTo(2, "the ok and error bars are drawn");
            html.Should().NotContain("cdn").And.NotContain("<script>");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
