using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// GitHub counts the primary rate limit per account. A stored user's token spends that user's budget from its first
/// request, even in a process that has never seen the user sign in (a restart, a second instance).
/// </summary>
public sealed class StoredAccountBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_sync_with_a_stored_token_spends_its_users_budget_without_a_sign_in()
    {
        await using var world = await SyncWorld.StartAsync(output: output);
        var link = await world.AddLinkAsync();

        (await world.SyncAsync(link)).Str("status").Should().Be("ok");

        long gitHubId;
        await using (var scope = world.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            gitHubId = await db.Links.Where(l => l.Id == link.Id).Select(l => l.Owner!.GitHubId).SingleAsync();
        }

        var budgets = world.App.Services.GetRequiredService<RateLimitBudgets>().Snapshot();
        budgets.Should().Contain(b => b.Account == $"user:{gitHubId}", "the owner's requests count against the owner's account");
        budgets.Should().NotContain(b => b.Account.StartsWith("tok_", StringComparison.Ordinal), "no request was charged to a bare token");
    }
}
