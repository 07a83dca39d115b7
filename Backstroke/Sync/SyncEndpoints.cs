using System.Text.Json;
using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>The trigger URL and the operation status route, as the original Backstroke answered them.</summary>
internal static class SyncEndpoints
{
    public static IEndpointRouteBuilder MapSyncEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Not "/_{webhookId}": a complex segment matches its literal from the right, and webhook ids may contain '_'.
        endpoints.MapMethods(@"/{trigger:regex(^_[\w-]+$)}", [HttpMethods.Get, HttpMethods.Post], TriggerAsync);
        endpoints.MapGet("/v1/operations/{id}", GetOperationAsync);
        return endpoints;
    }

    // One round trip: the queue's writer finds the link by its webhook id in the transaction that enqueues, so the
    // request borrows no database context of its own.
    internal static async Task<Results<Created<TriggerResponse>, BadRequest<ErrorJson>, NotFound<ErrorJson>>> TriggerAsync(
        string trigger, HttpRequest request, SyncQueue queue, IOptions<BackstrokeOptions> backstroke, CancellationToken ct)
    {
        var webhookId = trigger[1..];
        var fromRequest = request.Headers["X-Request-ID"].FirstOrDefault();
        var result = await queue.TriggerAsync(webhookId, string.IsNullOrWhiteSpace(fromRequest) ? null : fromRequest, ct);
        using var linkProperty = result.LinkId is null ? null : LogProperties.Push(request.HttpContext, LogProperties.LinkId, result.LinkId);
        switch (result.Status)
        {
            case TriggerStatus.NoSuchLink:
                return TypedResults.NotFound(new ErrorJson($"No such link with the id {webhookId}"));
            case TriggerStatus.LinkDisabled:
                return TypedResults.BadRequest(new ErrorJson("Link is not enabled!"));
            default:
                var operationId = result.Enqueued.OperationId;
                using (LogProperties.Push(request.HttpContext, LogProperties.OperationId, operationId))
                {
                    var statusUrl = backstroke.Value.Url("/v1/operations/" + operationId);
                    return TypedResults.Created(statusUrl, new TriggerResponse("ok", "Scheduled webhook.", operationId, statusUrl));
                }
        }
    }

    internal static async Task<Results<Ok<OperationResponse>, NotFound<ErrorJson>>> GetOperationAsync(
        string id, BackstrokeDbContext db, IOptions<BackstrokeOptions> backstroke, CancellationToken ct)
    {
        var row = await db.Operations.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new { Operation = o, LinkName = o.Link!.Name })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return TypedResults.NotFound(new ErrorJson($"No such operation with the id {id}"));
        }

        var o = row.Operation;
        return TypedResults.Ok(new OperationResponse(
            o.Id, o.Status.ToString().ToLowerInvariant(), o.Kind.ToString().ToLowerInvariant(), new OperationLink(o.LinkId, row.LinkName),
            o.EnqueuedAt, o.StartedAt, o.FinishedAt, o.FromRequest, OperationOutput.Read(o.Output).Json, o.Error, o.SupersededBy,
            o.SupersededBy is null ? null : backstroke.Value.Url("/v1/operations/" + o.SupersededBy)));
    }
}

internal sealed record TriggerResponse(string Status, string Message, string EnqueuedAs, string StatusUrl);

internal sealed record OperationLink(string Id, string Name);

internal sealed record OperationResponse(
    string Id, string Status, string Kind, OperationLink Link, DateTimeOffset EnqueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? FromRequest, JsonElement? Output, string? Error, string? SupersededBy, string? SupersededByUrl);
