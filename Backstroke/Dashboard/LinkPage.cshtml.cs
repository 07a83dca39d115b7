using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Links;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Backstroke.Dashboard;

[Authorize]
internal sealed class LinkPageModel(
    CurrentUser current, OwnedLinks links, LinkEditor editor, SyncNow sync, UpstreamHook hook, IOptions<BackstrokeOptions> backstroke, TimeProvider time) : PageModel
{
    public const int RecentCount = 10;

    public Link Link { get; private set; } = null!;

    [BindProperty]
    public LinkForm Form { get; set; } = new();

    /// <summary>Errors by form field; "" holds those about the whole form.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public List<Operation> Operations { get; private set; } = [];

    public string WebhookUrl => backstroke.Value.Url("/_" + Link.WebhookId);

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>The upstream webhook's state, asked of GitHub for a stored link with an upstream when webhooks are set up.</summary>
    public HookState Hook { get; private set; } = new(HookStatus.Unavailable, "");

    /// <summary>When Backstroke last received a verified push for the upstream: the proof that deliveries arrive.</summary>
    public DateTimeOffset? LastDelivery { get; private set; }

    public string HookUrl => hook.HookUrl;

    [TempData]
    public string? Message { get; set; }

    /// <summary>Set once after a new webhook URL was made, for the sentence beside it.</summary>
    [TempData]
    public bool Regenerated { get; set; }

    /// <summary>The id of the page for a link that is not stored yet: its first save stores it.</summary>
    public const string NewId = "new";

    /// <summary>Not stored yet: the page is only the form.</summary>
    public bool IsNew { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id, allowNew: true))
        {
            return NotFound();
        }

        Form = LinkForm.From(Link);
        if (!IsNew && current.User is { } user)
        {
            Hook = await hook.StateAsync(user, Link, HttpContext.RequestAborted);
            LastDelivery = Link.Upstream?.LastPushAt;
        }

        return Page();
    }

    /// <summary>The sentence for <see cref="Hook"/>.</summary>
    public string HookSentence()
    {
        var repo = Hook.Repo;
        var received = LastDelivery is { } at ? $", last delivery {Ago.Format(at, Now)}" : "";
        return Hook switch
        {
            { Status: HookStatus.NotInstalled } => $"Not installed on {repo}.",
            { Status: HookStatus.CannotInstall } => $"You cannot install it: only an admin of {repo} can. Ask one to add {HookUrl} for push events.",
            { Status: HookStatus.Unknown } => $"GitHub could not tell Backstroke just now whether the webhook is installed on {repo}.",
            { Hook.Active: false } => $"Installed on {repo}, but turned off there: turn it on in the repository's webhook settings.",
            { Hook.LastCode: >= 200 and < 300 } => $"Installed on {repo}{received}.",
            { Hook.LastCode: { } code } => $"Installed on {repo}{received}, but GitHub says its last delivery failed ({code}): check that GitHub can reach this Backstroke at {HookUrl} and that both use the same webhook secret.",
            { Hook.LastStatus: "failed" } => $"Installed on {repo}{received}, but GitHub could not deliver to it: check that GitHub can reach this Backstroke at {HookUrl}.",
            _ when LastDelivery is not null => $"Installed on {repo}{received}.",
            _ => $"Installed on {repo}; nothing delivered yet.",
        };
    }

    public async Task<IActionResult> OnPostSaveAsync(string id)
    {
        if (!await LoadAsync(id, allowNew: true) || current.User is not { } user)
        {
            return NotFound();
        }

        IReadOnlyList<FieldError> errors;
        try
        {
            errors = await editor.UpdateAsync(user, Link, Form.ToChanges(), HttpContext.RequestAborted, confirmEnds: true);
        }
        catch (GitHubException exception)
        {
            errors = [new FieldError("", GitHubRepos.Explain(exception).Message)];
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                Errors.TryAdd(LinkForm.FieldFor(error.Field), error.Message);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Message = "Saved.";
        return Redirect($"/links/{Link.Id}");
    }

    public async Task<IActionResult> OnPostSyncAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (SyncNow.RefusalFor(Link) is { } refusal)
        {
            Message = refusal;
            return Redirect($"/links/{id}");
        }

        var operationId = await sync.EnqueueManualAsync(Link, null, HttpContext.RequestAborted);
        Message = "Sync scheduled.";
        return Redirect($"/links/{id}?op={operationId}#sync");
    }

    public async Task<IActionResult> OnPostRegenerateAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        await editor.RegenerateWebhookAsync(Link, HttpContext.RequestAborted);
        Regenerated = true;
        return Redirect($"/links/{id}#webhook");
    }

    public async Task<IActionResult> OnPostInstallHookAsync(string id)
    {
        if (!await LoadAsync(id) || current.User is not { } user)
        {
            return NotFound();
        }

        Message = await hook.InstallAsync(user, Link, HttpContext.RequestAborted);
        return Redirect($"/links/{id}#upstream-hook");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        await editor.DeleteAsync(Link, HttpContext.RequestAborted);
        TempData[nameof(IndexModel.Message)] = $"{IndexModel.DisplayName(Link)} was deleted.";
        return Redirect("/");
    }

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The errors in the order of the form, those about the whole form first.</summary>
    public IEnumerable<(string Field, string Message)> OrderedErrors() =>
        Errors.OrderBy(e => Array.IndexOf(FieldOrder, e.Key)).Select(e => (e.Key, e.Value));

    /// <summary>The element of the form a field's error leads to, or null for an error about the whole form.</summary>
    public static string? AnchorFor(string field) => field switch
    {
        "" => null,
        nameof(LinkForm.ForkType) => "fork-type-repo",
        _ => "f-" + field,
    };

    private static readonly string[] FieldOrder =
    [
        "", nameof(LinkForm.Name), nameof(LinkForm.Enabled), nameof(LinkForm.UpstreamOwner), nameof(LinkForm.UpstreamRepo),
        nameof(LinkForm.UpstreamBranch), nameof(LinkForm.ForkType), nameof(LinkForm.ForkOwner), nameof(LinkForm.ForkRepo),
        nameof(LinkForm.ForkBranch), nameof(LinkForm.SyncMode),
    ];

    /// <summary>Someone else's link is a 404, exactly like a missing one.</summary>
    private async Task<bool> LoadAsync(string id, bool allowNew = false)
    {
        if (id == NewId)
        {
            if (!allowNew || current.User is not { } user)
            {
                return false;
            }

            Link = editor.New(user);
            IsNew = true;
            return true;
        }

        if (await links.FindAsync(id, HttpContext.RequestAborted) is not { } link)
        {
            return false;
        }

        Link = link;
        Operations = await links.RecentOperationsAsync(link, RecentCount, HttpContext.RequestAborted);
        return true;
    }
}
