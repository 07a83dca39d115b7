using Backstroke.Auth;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Links;

/// <summary>A link with its most recent run, whatever its state: what the user last asked for or saw happen.</summary>
internal sealed record LinkRow(Link Link, Operation? LastOperation);

/// <summary>
/// The signed-in user's links, for the JSON API and the dashboard alike. Another user's link is not found, exactly
/// like a missing one: both answer 404 and neither tells the other exists. The links a GitHub App installation made
/// belong to nobody: they are the user's too when the user administers the fork (their own account's, or one GitHub
/// gives them admin rights on).
/// </summary>
internal sealed class OwnedLinks(BackstrokeDbContext db, CurrentUser user, AdministeredForks administered)
{
    public const int PageSize = 20;

    /// <summary>The user's own link, or null whether it is missing or someone else's (the caller answers 404).</summary>
    public async Task<Link?> FindAsync(string id, CancellationToken ct) =>
        user.User is { } signedIn
            ? await (await VisibleAsync(db.Links.Include(l => l.Upstream), signedIn, ct)).SingleOrDefaultAsync(l => l.Id == id, ct)
            : null;

    private async Task<IQueryable<Link>> VisibleAsync(IQueryable<Link> links, User signedIn, CancellationToken ct)
    {
        var (owner, login) = (signedIn.Id, signedIn.Login.ToLower());
        var admin = await administered.OfAsync(db, signedIn, ct);
        return admin.Length == 0
            ? links.Where(l => l.OwnerId == owner || (l.OwnerId == null && l.ForkOwner!.ToLower() == login))
            : links.Where(l => l.OwnerId == owner
                || (l.OwnerId == null && (l.ForkOwner!.ToLower() == login || admin.Contains((l.ForkOwner + "/" + l.ForkRepo).ToLower()))));
    }

    /// <summary>
    /// One page of links, oldest first, each with its last operation, in one query (a link list must not cost a query
    /// per link). <paramref name="extra"/> more rows are read, so a caller can tell whether a next page exists.
    /// </summary>
    public async Task<List<LinkRow>> PageAsync(int page, int extra, CancellationToken ct)
    {
        var signedIn = user.User ?? throw new InvalidOperationException("No user is signed in for this request.");
        var rows = await (await VisibleAsync(db.Links.AsNoTracking(), signedIn, ct))
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip(page * PageSize).Take(PageSize + extra)
            .Select(l => new
            {
                Link = l,
                l.Upstream,
                Last = db.Operations.Where(o => o.LinkId == l.Id).OrderByDescending(o => o.EnqueuedAt).ThenByDescending(o => o.Id).FirstOrDefault(),
            })
            .ToListAsync(ct);
        foreach (var row in rows)
        {
            // The branch's last check is the link's "last synced".
            row.Link.Upstream = row.Upstream;
        }

        return [.. rows.Select(r => new LinkRow(r.Link, r.Last))];
    }

    public Task<Operation?> LastOperationAsync(Link link, CancellationToken ct) =>
        db.Operations.AsNoTracking().Where(o => o.LinkId == link.Id).OrderByDescending(o => o.EnqueuedAt).ThenByDescending(o => o.Id).FirstOrDefaultAsync(ct);

    public Task<List<Operation>> RecentOperationsAsync(Link link, int count, CancellationToken ct) =>
        db.Operations.AsNoTracking().Where(o => o.LinkId == link.Id).OrderByDescending(o => o.EnqueuedAt).ThenByDescending(o => o.Id).Take(count).ToListAsync(ct);

    /// <summary>One page (from 0) of the link's operations, newest first.</summary>
    public Task<List<Operation>> OperationsPageAsync(Link link, int page, CancellationToken ct) =>
        db.Operations.AsNoTracking().Where(o => o.LinkId == link.Id).OrderByDescending(o => o.EnqueuedAt).ThenByDescending(o => o.Id)
            .Skip(page * PageSize).Take(PageSize).ToListAsync(ct);
}
