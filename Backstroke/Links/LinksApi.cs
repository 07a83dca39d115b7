using System.Globalization;
using System.Text.Json;
using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Links;

/// <summary>The signed-in JSON API of SPEC §6, for the dashboard's live parts and for scripts.</summary>
internal static class LinksApi
{
    public const int PageSize = 20;
    private const string NoSuchLink = "No such link.";
    private const string NoSuchOwnedLink = "No such link found that is owned by this account.";

    public static void MapLinksApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v1").RequireAuthorization().AddEndpointFilter(ApiFilters.RequireJsonForChanges).AddEndpointFilter(ApiFilters.GitHubTrouble);

        api.MapGet("/whoami", WhoAmI);
        api.MapGet("/links", List);
        api.MapPost("/links", Create);
        api.MapGet("/links/{id}", Get);
        api.MapPost("/links/{id}", Update);
        api.MapDelete("/links/{id}", Delete);
        api.MapPost("/links/{id}/enable", Enable);
        api.MapPost("/links/{id}/sync", Sync);
        api.MapPost("/links/{id}/webhook/regenerate", Regenerate);
        api.MapGet("/links/{id}/operations", Operations);
        api.MapGet("/repos/github/{owner}/{repo}", RepoCheck.CheckAsync);
    }

    private static async Task<Results<Ok<WhoAmIJson>, JsonHttpResult<ErrorJson>>> WhoAmI(HttpContext context, BackstrokeDbContext db, IOptions<BackstrokeOptions> options)
    {
        if (await db.LoadUserAsync(context.User, context.RequestAborted) is not { } user)
        {
            return ApiFilters.Error(401, "Sign in with GitHub first: visit /setup/login.");
        }

        return TypedResults.Ok(new WhoAmIJson(user.GitHubId, user.Login, user.Email, user.AvatarUrl,
            user.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), user.CreatedAt, user.LastLoginAt, options.Value.IsAdmin(user.Login)));
    }

    private static async Task<Results<Ok<LinkPageJson>, JsonHttpResult<ErrorJson>>> List(
        HttpContext context, BackstrokeDbContext db, LinkEditor editor, IOptions<BackstrokeOptions> options, string? page)
    {
        var number = 0;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > 1_000_000))
        {
            return ApiFilters.Error(400, "The page must be a whole number, 0 or more.");
        }

        var userId = context.User.UserId()!.Value;
        var links = await db.Links.Where(l => l.OwnerId == userId).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip(number * PageSize).Take(PageSize).ToListAsync(context.RequestAborted);
        var data = new List<LinkJson>(links.Count);
        foreach (var link in links)
        {
            data.Add(LinkJson.From(link, await editor.LastOperationAsync(link.Id, context.RequestAborted), options.Value));
        }

        return TypedResults.Ok(new LinkPageJson(number, PageSize, data));
    }

    private static async Task<Results<Created<LinkJson>, JsonHttpResult<ErrorJson>>> Create(
        HttpContext context, BackstrokeDbContext db, LinkEditor editor, IOptions<BackstrokeOptions> options)
    {
        if (await db.LoadUserAsync(context.User, context.RequestAborted) is not { } user)
        {
            return ApiFilters.Error(401, "Sign in with GitHub first: visit /setup/login.");
        }

        var link = await editor.CreateAsync(user, context.RequestAborted);
        return TypedResults.Created($"/v1/links/{link.Id}", LinkJson.From(link, null, options.Value));
    }

    private static async Task<Results<Ok<LinkJson>, JsonHttpResult<ErrorJson>>> Get(
        HttpContext context, string id, LinkEditor editor, IOptions<BackstrokeOptions> options)
    {
        if (await editor.FindOwnedAsync(context.User.UserId()!.Value, id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        return TypedResults.Ok(LinkJson.From(link, await editor.LastOperationAsync(link.Id, context.RequestAborted), options.Value));
    }

    private static async Task<Results<Ok<LinkJson>, JsonHttpResult<ErrorJson>>> Update(
        HttpContext context, string id, BackstrokeDbContext db, LinkEditor editor, IOptions<BackstrokeOptions> options)
    {
        var ct = context.RequestAborted;
        if (await ApiFilters.ReadJsonAsync(context.Request) is not { } body)
        {
            return ApiFilters.Error(400, LinkBody.InvalidBody);
        }

        var (changes, error) = LinkBody.Parse(body);
        if (error is not null)
        {
            return ApiFilters.Error(400, error);
        }

        if (await db.LoadUserAsync(context.User, ct) is not { } user || await editor.FindOwnedAsync(user.Id, id, ct) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchOwnedLink);
        }

        var errors = await editor.UpdateAsync(user, link, changes!, ct);
        if (errors.Count > 0)
        {
            return ApiFilters.Error(400, errors[0].Message);
        }

        return TypedResults.Ok(LinkJson.From(link, await editor.LastOperationAsync(link.Id, ct), options.Value));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorJson>>> Delete(HttpContext context, string id, LinkEditor editor)
    {
        if (await editor.FindOwnedAsync(context.User.UserId()!.Value, id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchOwnedLink);
        }

        await editor.DeleteAsync(link, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<StatusJson>, JsonHttpResult<ErrorJson>>> Enable(HttpContext context, string id, LinkEditor editor)
    {
        var body = await ApiFilters.ReadJsonAsync(context.Request);
        if (body is not { ValueKind: JsonValueKind.Object } || !body.Value.TryGetProperty("enabled", out var enabled)
            || enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ApiFilters.Error(400, "Enabled property not specified in the body.");
        }

        if (await editor.FindOwnedAsync(context.User.UserId()!.Value, id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        if (await editor.SetEnabledAsync(link, enabled.GetBoolean(), context.RequestAborted) is { } refused)
        {
            return ApiFilters.Error(400, refused.Message);
        }

        return TypedResults.Ok(new StatusJson("ok"));
    }

    private static async Task<Results<Created<SyncJson>, JsonHttpResult<ErrorJson>>> Sync(
        HttpContext context, string id, LinkEditor editor, SyncNow sync, IOptions<BackstrokeOptions> options)
    {
        if (await editor.FindOwnedAsync(context.User.UserId()!.Value, id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        if (SyncNow.RefusalFor(link) is { } refusal)
        {
            return ApiFilters.Error(400, refusal);
        }

        var requestId = context.Request.Headers["X-Request-ID"].ToString();
        var operationId = await sync.EnqueueManualAsync(link, requestId.Length is > 0 and <= 200 ? requestId : null, context.RequestAborted);
        var statusUrl = options.Value.Url("/v1/operations/" + operationId);
        return TypedResults.Created(statusUrl, new SyncJson("ok", "Scheduled sync.", operationId, statusUrl));
    }

    private static async Task<Results<Ok<LinkJson>, JsonHttpResult<ErrorJson>>> Regenerate(
        HttpContext context, string id, LinkEditor editor, IOptions<BackstrokeOptions> options)
    {
        if (await editor.FindOwnedAsync(context.User.UserId()!.Value, id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        await editor.RegenerateWebhookAsync(link, context.RequestAborted);
        return TypedResults.Ok(LinkJson.From(link, await editor.LastOperationAsync(link.Id, context.RequestAborted), options.Value));
    }

    /// <summary>The link's operations, newest first, a page at a time (<c>page</c> counts from 0, as for the links list).</summary>
    private static async Task<Results<Ok<OperationPageJson>, JsonHttpResult<ErrorJson>>> Operations(
        HttpContext context, string id, BackstrokeDbContext db, LinkEditor editor, string? page)
    {
        var number = 0;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > 1_000_000))
        {
            return ApiFilters.Error(400, "The page must be a whole number, 0 or more.");
        }

        if (await editor.FindOwnedAsync(context.User.UserId()!.Value, id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        var operations = await db.Operations.AsNoTracking().Where(o => o.LinkId == link.Id)
            .OrderByDescending(o => o.EnqueuedAt).ThenByDescending(o => o.Id)
            .Skip(number * PageSize).Take(PageSize).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(new OperationPageJson(number, PageSize, [.. operations.Select(o => OperationJson.From(o, link))]));
    }
}

internal sealed record ErrorJson(string Error);

internal sealed record StatusJson(string Status);

internal sealed record SyncJson(string Status, string Message, string EnqueuedAs, string StatusUrl);

internal sealed record LinkPageJson(int Page, int PageSize, IReadOnlyList<LinkJson> Data);

internal sealed record OperationPageJson(int Page, int PageSize, IReadOnlyList<OperationJson> Data);

internal sealed record WhoAmIJson(
    long Id, string Login, string? Email, string? AvatarUrl, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, bool IsAdmin);
