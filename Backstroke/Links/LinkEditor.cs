using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Links;

/// <summary>
/// Every change a user makes to a link, for the JSON API and the dashboard alike, so both apply the same rules and
/// speak the same sentences.
/// </summary>
internal sealed class LinkEditor(BackstrokeDbContext db, GitHubRepos github, TokenProtector tokens, TimeProvider time)
{
    public const string NotConfiguredMessage = "Please update the link with a valid upstream and fork before enabling.";
    public const string SignInAgainMessage = "Your GitHub sign-in can no longer be read; sign in again.";

    public async Task<Link> CreateAsync(User owner, CancellationToken ct)
    {
        var link = New(owner);
        db.Links.Add(link);
        await db.SaveChangesAsync(ct);
        return link;
    }

    /// <summary>An empty link that is not stored: <see cref="UpdateAsync"/> stores it on its first successful save.</summary>
    public Link New(User owner)
    {
        var now = time.GetUtcNow();
        return new Link
        {
            Id = Ids.NewLinkId(),
            WebhookId = Ids.NewWebhookId(),
            OwnerId = owner.Id,
            Name = "",
            Enabled = false,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Validates, checks that the user may write where the link will write, then saves. Empty list: saved.</summary>
    /// <param name="confirmEnds">Ask GitHub whether both repositories and branches exist even when the link stays off
    /// (the dashboard does, to flag a typo at once); a link that will be on is always checked.</param>
    public async Task<IReadOnlyList<FieldError>> UpdateAsync(User user, Link link, LinkChanges changes, CancellationToken ct, bool confirmEnds = false)
    {
        var errors = LinkRules.Validate(changes, link);
        if (errors.Count > 0)
        {
            return errors;
        }

        if (tokens.Unprotect(user.AccessTokenProtected, user.GitHubId) is not { } token)
        {
            return [new FieldError("", SignInAgainMessage)];
        }

        // Writes land on the fork (one fork) or on every fork of the upstream (fork-all): the user must be trusted
        // there, or anyone could open pull requests on repositories they do not maintain.
        var access = changes.ForkType == ForkType.ForkAll
            ? await github.CheckPushAsync(token, changes.UpstreamOwner!, changes.UpstreamRepo!, ct)
            : await github.CheckPushAsync(token, changes.ForkOwner!, changes.ForkRepo!, ct);
        if (access.ScopeProblem is { } scope)
        {
            return [new FieldError("", scope)];
        }

        // A missing repository or branch is named beside its field, before "no push access" could blame the user.
        if ((confirmEnds || (changes.Enabled ?? link.Enabled)) && await LinkEnds.MissingAsync(github, token, changes, ct) is { Count: > 0 } missing)
        {
            return missing;
        }

        if (changes.ForkType == ForkType.ForkAll)
        {
            if (!access.CanPush)
            {
                var upstream = $"{changes.UpstreamOwner}/{changes.UpstreamRepo}";
                return [new FieldError(LinkFields.ForkType,
                    $"To sync changes from the upstream {upstream} to all its forks, you need to be a collaborator on {upstream}. Sync to a single fork that you own instead.")];
            }
        }
        else if (!access.CanPush)
        {
            return [new FieldError(LinkFields.ForkOwner, $"You need to be a collaborator of {changes.ForkOwner}/{changes.ForkRepo} to sync changes to that fork.")];
        }

        var upstreamChanged = link.UpstreamOwner != changes.UpstreamOwner || link.UpstreamRepo != changes.UpstreamRepo
            || link.UpstreamBranch != changes.UpstreamBranch;
        var targetChanged = upstreamChanged || link.ForkType != changes.ForkType || link.ForkOwner != changes.ForkOwner
            || link.ForkRepo != changes.ForkRepo || link.ForkBranch != changes.ForkBranch;

        link.Name = (changes.Name ?? link.Name).Trim();
        link.Enabled = changes.Enabled ?? link.Enabled;
        link.UpstreamOwner = changes.UpstreamOwner;
        link.UpstreamRepo = changes.UpstreamRepo;
        link.UpstreamBranch = changes.UpstreamBranch;
        link.ForkType = changes.ForkType;
        (link.ForkOwner, link.ForkRepo, link.ForkBranch) = changes.ForkType == ForkType.Repo
            ? (changes.ForkOwner, changes.ForkRepo, changes.ForkBranch)
            : (null, null, null);
        link.SyncMode = changes.SyncMode ?? link.SyncMode;
        if (upstreamChanged)
        {
            // What the link last synced was another branch's head: the link is behind its new upstream until it syncs
            // it, and saving points it at that branch's row, which the next tick checks (Data/UpstreamLinks.cs).
            link.SyncedSha = null;
            link.SyncFailures = 0;
            link.SyncRetryAt = null;
        }

        if (targetChanged)
        {
            // Errors about the old repositories say nothing about the new ones, and a repository that GitHub said
            // was deleted no longer stops polling once the link names another.
            link.LastError = null;
            link.ConsecutiveFailures = 0;
            link.RepositoryDeleted = false;
        }

        if (targetChanged && link.OwnerId is not null)
        {
            // A fork that a GitHub App installation covers is synced with that installation's token from the first run,
            // not from the installation's next refresh.
            link.InstallationId = await CoveringInstallationAsync(link, ct);
        }

        link.UpdatedAt = time.GetUtcNow();
        if (db.Entry(link).State == Microsoft.EntityFrameworkCore.EntityState.Detached)
        {
            db.Links.Add(link);
        }

        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Null when done, else why not.</summary>
    public async Task<FieldError?> SetEnabledAsync(User user, Link link, bool enabled, CancellationToken ct)
    {
        if (enabled && !link.IsConfigured)
        {
            return new FieldError(LinkFields.Enabled, NotConfiguredMessage);
        }

        if (enabled && string.IsNullOrWhiteSpace(link.Name))
        {
            return new FieldError(LinkFields.Enabled, "Give the link a name before enabling it.");
        }

        // Both ends may have gone since the last save; turning the link on says which one first.
        if (enabled && !link.Enabled)
        {
            if (tokens.Unprotect(user.AccessTokenProtected, user.GitHubId) is not { } token)
            {
                return new FieldError(LinkFields.Enabled, SignInAgainMessage);
            }

            if (await LinkEnds.MissingAsync(github, token, LinkEnds.Of(link), ct) is { Count: > 0 } missing)
            {
                return new FieldError(LinkFields.Enabled, string.Join(" ", missing.Select(m => m.Message)));
            }
        }

        link.Enabled = enabled;
        link.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The old trigger URL stops working at once: that is the point of regenerating it.</summary>
    public async Task RegenerateWebhookAsync(Link link, CancellationToken ct)
    {
        link.WebhookId = Ids.NewWebhookId();
        link.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteAsync(Link link, CancellationToken ct)
    {
        db.Links.Remove(link);
        await db.SaveChangesAsync(ct);
    }

    private async Task<long?> CoveringInstallationAsync(Link link, CancellationToken ct)
    {
        if (link.ForkType != ForkType.Repo || link.ForkOwner is null || link.ForkRepo is null)
        {
            return null;
        }

        var (owner, name) = (link.ForkOwner.ToLower(), link.ForkRepo.ToLower());
        return await db.InstallationRepositories
            .Where(r => r.Owner.ToLower() == owner && r.Name.ToLower() == name)
            .Select(r => (long?)r.InstallationId)
            .FirstOrDefaultAsync(ct);
    }
}
