using System.Globalization;
using System.Text.Json;
using Backstroke.Auth;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backstroke.Links;

/// <summary>The signed-in JSON API, for the dashboard's live parts and for scripts.</summary>
internal static class LinksApi
{
    public const int PageSize = OwnedLinks.PageSize;
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

    private static Ok<WhoAmIJson> WhoAmI(CurrentUser current)
    {
        var user = current.User!;
        return TypedResults.Ok(new WhoAmIJson(user.GitHubId, user.Login, user.Email, user.AvatarUrl,
            user.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), user.CreatedAt, user.LastLoginAt, current.IsAdmin));
    }

    private static async Task<Results<Ok<LinkPageJson>, JsonHttpResult<ErrorJson>>> List(
        HttpContext context, OwnedLinks links, IOptions<BackstrokeOptions> options, string? page)
    {
        var number = 0;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > 1_000_000))
        {
            return ApiFilters.Error(400, "The page must be a whole number, 0 or more.");
        }

        var rows = await links.PageAsync(number, extra: 0, context.RequestAborted);
        return TypedResults.Ok(new LinkPageJson(number, PageSize, [.. rows.Select(r => LinkJson.From(r.Link, r.LastOperation, options.Value))]));
    }

    private static async Task<Created<LinkJson>> Create(HttpContext context, CurrentUser current, LinkEditor editor, IOptions<BackstrokeOptions> options)
    {
        var link = await editor.CreateAsync(current.User!, context.RequestAborted);
        return TypedResults.Created($"/v1/links/{link.Id}", LinkJson.From(link, null, options.Value));
    }

    private static async Task<Results<Ok<LinkJson>, JsonHttpResult<ErrorJson>>> Get(
        HttpContext context, string id, OwnedLinks links, IOptions<BackstrokeOptions> options)
    {
        if (await links.FindAsync(id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        return TypedResults.Ok(LinkJson.From(link, await links.LastOperationAsync(link, context.RequestAborted), options.Value));
    }

    private static async Task<Results<Ok<LinkJson>, JsonHttpResult<ErrorJson>>> Update(
        HttpContext context, string id, CurrentUser current, OwnedLinks links, LinkEditor editor, IOptions<BackstrokeOptions> options)
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

        if (await links.FindAsync(id, ct) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchOwnedLink);
        }

        var errors = await editor.UpdateAsync(current.User!, link, changes!, ct);
        if (errors.Count > 0)
        {
            return ApiFilters.Error(400, errors[0].Message);
        }

        return TypedResults.Ok(LinkJson.From(link, await links.LastOperationAsync(link, ct), options.Value));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorJson>>> Delete(HttpContext context, string id, OwnedLinks links, LinkEditor editor)
    {
        if (await links.FindAsync(id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchOwnedLink);
        }

        await editor.DeleteAsync(link, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<StatusJson>, JsonHttpResult<ErrorJson>>> Enable(HttpContext context, string id, OwnedLinks links, LinkEditor editor, CurrentUser current)
    {
        var body = await ApiFilters.ReadJsonAsync(context.Request);
        if (body is not { ValueKind: JsonValueKind.Object } || !body.Value.TryGetProperty("enabled", out var enabled)
            || enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ApiFilters.Error(400, "Enabled property not specified in the body.");
        }

        if (await links.FindAsync(id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        if (await editor.SetEnabledAsync(current.User!, link, enabled.GetBoolean(), context.RequestAborted) is { } refused)
        {
            return ApiFilters.Error(400, refused.Message);
        }

        return TypedResults.Ok(new StatusJson("ok"));
    }

    private static async Task<Results<Created<SyncJson>, JsonHttpResult<ErrorJson>>> Sync(
        HttpContext context, string id, OwnedLinks links, SyncNow sync, IOptions<BackstrokeOptions> options)
    {
        if (await links.FindAsync(id, context.RequestAborted) is not { } link)
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
        HttpContext context, string id, OwnedLinks links, LinkEditor editor, IOptions<BackstrokeOptions> options)
    {
        if (await links.FindAsync(id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        await editor.RegenerateWebhookAsync(link, context.RequestAborted);
        return TypedResults.Ok(LinkJson.From(link, await links.LastOperationAsync(link, context.RequestAborted), options.Value));
    }

    /// <summary>The link's operations, newest first, a page at a time (<c>page</c> counts from 0, as for the links list).</summary>
    private static async Task<Results<Ok<OperationPageJson>, JsonHttpResult<ErrorJson>>> Operations(
        HttpContext context, string id, OwnedLinks links, string? page)
    {
        var number = 0;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > 1_000_000))
        {
            return ApiFilters.Error(400, "The page must be a whole number, 0 or more.");
        }

        if (await links.FindAsync(id, context.RequestAborted) is not { } link)
        {
            return ApiFilters.Error(404, NoSuchLink);
        }

        var operations = await links.OperationsPageAsync(link, number, context.RequestAborted);
        return TypedResults.Ok(new OperationPageJson(number, PageSize, [.. operations.Select(o => OperationJson.From(o, link))]));
    }
}

internal sealed record StatusJson(string Status);

internal sealed record SyncJson(string Status, string Message, string EnqueuedAs, string StatusUrl);

internal sealed record LinkPageJson(int Page, int PageSize, IReadOnlyList<LinkJson> Data);

internal sealed record OperationPageJson(int Page, int PageSize, IReadOnlyList<OperationJson> Data);

internal sealed record WhoAmIJson(
    long Id, string Login, string? Email, string? AvatarUrl, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, bool IsAdmin);
