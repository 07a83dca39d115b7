using System.Net;
using Backstroke.Data;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.LinksApi;

/// <summary><c>GET /v1/links/{id}/operations?page=N</c>: the original service's <c>{page, pageSize, data}</c>, newest first.</summary>
public sealed class OperationsPageTests(AppWithGitHub env) : IClassFixture<AppWithGitHub>
{
    [Fact]
    public async Task A_links_operations_come_newest_first_twenty_a_page()
    {
        var login = AppWithGitHub.NewLogin("ops");
        using var client = await env.SignInAsync(login);
        var id = await client.CreateLinkAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var ids = Enumerable.Range(0, 25).Select(_ => Backstroke.Data.Ids.NewOperationId()).ToList();
        await env.App.WithDbAsync(async db =>
        {
            db.Operations.AddRange(ids.Select((opId, i) => new Operation
            {
                Id = opId, LinkId = id, Kind = OperationKind.Manual, Status = OperationStatus.Ok, Attempts = 1,
                EnqueuedAt = start.AddMinutes(i), StartedAt = start.AddMinutes(i), FinishedAt = start.AddMinutes(i),
            }));
            return await db.SaveChangesAsync();
        });

        var first = await client.GetJsonAsync($"/v1/links/{id}/operations");
        var second = await client.GetJsonAsync($"/v1/links/{id}/operations?page=1");
        var past = await client.GetJsonAsync($"/v1/links/{id}/operations?page=2");
        using var bad = await client.GetAsync(new Uri($"/v1/links/{id}/operations?page=x", UriKind.Relative));

        (first.GetProperty("page").GetInt32(), first.GetProperty("pageSize").GetInt32()).Should().Be((0, 20));
        IdsOf(first).Should().Equal(Enumerable.Range(5, 20).Reverse().Select(i => ids[i]), "the newest twenty, newest first");
        second.GetProperty("page").GetInt32().Should().Be(1);
        IdsOf(second).Should().Equal(Enumerable.Range(0, 5).Reverse().Select(i => ids[i]));
        IdsOf(past).Should().BeEmpty();
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ErrorOf()).Should().Be("The page must be a whole number, 0 or more.");
    }

    private static List<string> IdsOf(System.Text.Json.JsonElement page) =>
        [.. page.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetString()!)];
}
