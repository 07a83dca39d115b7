using System.Text.Json;
using Backstroke.Apps;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Webhooks;

/// <summary>
/// The GitHub App's <c>installation</c> and <c>installation_repositories</c> events keep the installations table
/// current. What needs GitHub (a new fork's parent, its link and first sync) is left to <see cref="InstallationSync"/>,
/// so the delivery is answered at once; what only needs the database (removals, suspension) happens here.
/// </summary>
internal sealed partial class InstallationHandler(
    BackstrokeDbContext db, AppLinks links, InstallationSync sync, InstallationTokens tokens, SyncQueue queue, TimeProvider time,
    ILogger<InstallationHandler> logger)
{
    public Task<WebhookOutcome> HandleInstallationAsync(JsonElement payload, CancellationToken ct) =>
        sync.ChangeAsync(() => InstallationAsync(payload, ct), ct);

    public Task<WebhookOutcome> HandleRepositoriesAsync(JsonElement payload, CancellationToken ct) =>
        sync.ChangeAsync(() => RepositoriesAsync(payload, ct), ct);

    private async Task<WebhookOutcome> InstallationAsync(JsonElement payload, CancellationToken ct)
    {
        var action = WebhookPayloads.String(payload, "action");
        var (id, account, selection, suspended) = Read(payload);
        switch (action)
        {
            case "created" or "new_permissions_accepted" or "unsuspend" or "suspend":
                var row = await UpsertAsync(id, account, selection, suspended || action == "suspend", ct);
                if (action == "created" && payload.TryGetProperty("repositories", out var listed) && listed.ValueKind == JsonValueKind.Array)
                {
                    AddRepositories(row, listed);
                }

                await db.SaveChangesAsync(ct);
                if (row.Suspended)
                {
                    // Tokens of a suspended installation are refused; asking again after unsuspend is cheap.
                    tokens.Forget(id);
                    LogSuspended(id);
                    return WebhookOutcome.Handled($"Installation {id} is suspended: its links are paused.");
                }

                sync.Refresh(id);
                var queued = 0;
                if (action == "unsuspend")
                {
                    // What the upstreams did during the pause reaches the forks now, not at the next check.
                    foreach (var linkId in await db.Links.Where(l => l.InstallationId == id && l.Enabled).Select(l => l.Id).ToListAsync(ct))
                    {
                        queued += (await queue.EnqueueAsync(linkId, OperationKind.Automatic, null, ct)).Created ? 1 : 0;
                    }
                }

                LogChanged(id, action);
                return WebhookOutcome.Handled($"Installation {id} {action}: its repositories are being read.", queued);
            case "deleted":
                tokens.Forget(id);
                var disabled = await links.UninstallAsync(id, ct);
                LogChanged(id, action);
                return WebhookOutcome.Handled($"Installation {id} deleted: {disabled} link(s) disabled.");
            default:
                return WebhookOutcome.Ignored($"The installation action '{action}' needs nothing from Backstroke.");
        }
    }

    private async Task<WebhookOutcome> RepositoriesAsync(JsonElement payload, CancellationToken ct)
    {
        var action = WebhookPayloads.String(payload, "action");
        var (id, account, selection, suspended) = Read(payload);
        var row = await UpsertAsync(id, account, selection, suspended, ct);
        if (payload.TryGetProperty("repositories_added", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            AddRepositories(row, added);
        }

        await db.SaveChangesAsync(ct);
        var disabled = 0;
        if (payload.TryGetProperty("repositories_removed", out var removed) && removed.ValueKind == JsonValueKind.Array)
        {
            var ids = removed.EnumerateArray().Select(r => JsonText.Long(r, "id")).OfType<long>().ToList();
            disabled = await links.ReleaseAsync(id, ids, ct);
        }

        if (!row.Suspended && action == "added")
        {
            sync.Refresh(id);
        }

        LogChanged(id, $"repositories {action}");
        return WebhookOutcome.Handled($"Installation {id}: repositories {action}; {disabled} link(s) disabled.");
    }

    private static (long Id, string Account, string Selection, bool Suspended) Read(JsonElement payload)
    {
        if (!payload.TryGetProperty("installation", out var installation) || JsonText.Long(installation, "id") is not { } id)
        {
            throw new PayloadException("The payload has no 'installation.id'.");
        }

        return (id, JsonText.Str(installation, "account", "login") ?? "", JsonText.Str(installation, "repository_selection") ?? "selected",
            installation.TryGetProperty("suspended_at", out var at) && at.ValueKind == JsonValueKind.String);
    }

    private async Task<Installation> UpsertAsync(long id, string account, string selection, bool suspended, CancellationToken ct)
    {
        var row = await db.Installations.Include(i => i.Repositories).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            row = new Installation { Id = id };
            db.Installations.Add(row);
        }

        row.AccountLogin = account.Length > 0 ? account : row.AccountLogin;
        row.RepositorySelection = selection;
        row.Suspended = suspended;
        row.UpdatedAt = time.GetUtcNow();
        return row;
    }

    /// <summary>Webhook repositories carry no fork flag or parent: the refresh reads those from GitHub.</summary>
    private static void AddRepositories(Installation row, JsonElement repositories)
    {
        foreach (var repo in repositories.EnumerateArray().Select(InstallationTokens.Repo).OfType<InstallationRepo>())
        {
            if (!GitHubNames.IsOwner(repo.Owner) || !GitHubNames.IsRepo(repo.Name))
            {
                continue;
            }

            if (row.Repositories.FirstOrDefault(r => r.Id == repo.Id) is not { } known)
            {
                row.Repositories.Add(new InstallationRepository { Id = repo.Id, Owner = repo.Owner, Name = repo.Name });
            }
            else
            {
                (known.Owner, known.Name) = (repo.Owner, repo.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation {InstallationId}: {Action}")]
    private partial void LogChanged(long installationId, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation {InstallationId} is suspended; its links are paused")]
    private partial void LogSuspended(long installationId);
}
