using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>
/// Repository shapes. One writer serves full-repository, repository and minimal-repository: the smaller schemas
/// are subsets, so writing every field of "repository" satisfies them all.
/// </summary>
internal static class RepoJson
{
    /// <param name="permission">The caller's permission, written as "permissions" when known.</param>
    /// <param name="full">Adds what only GET /repos/{o}/{r} carries: parent, source, network and subscriber counts.</param>
    public static void Write(Utf8JsonWriter w, Repo r, string b, string? permission = null, bool full = false, bool webhook = false)
    {
        w.WriteStartObject();
        var api = b + "repos/" + r.FullName;
        w.WriteNumber("id", r.Id);
        w.WriteString("node_id", JsonOut.NodeId("Repository", r.Id));
        w.WriteString("name", r.Name);
        w.WriteString("full_name", r.FullName);
        w.WriteBoolean("private", r.Private);
        w.WritePropertyName("owner");
        UserJson.WriteSimple(w, r.Owner, b);
        w.WriteString("html_url", b + r.FullName);
        w.WriteStringOrNull("description", r.Description);
        w.WriteBoolean("fork", r.Parent is not null);
        w.WriteString("url", api);
        foreach (var (name, suffix) in UrlTemplates)
        {
            w.WriteString(name, api + suffix);
        }

        w.WriteString("git_url", $"git://{Host(b)}/{r.FullName}.git");
        w.WriteString("ssh_url", $"git@{Host(b)}:{r.FullName}.git");
        w.WriteString("clone_url", $"{b}{r.FullName}.git");
        w.WriteString("svn_url", b + r.FullName);
        w.WriteNull("homepage");
        w.WriteNull("mirror_url");
        w.WriteNull("language");
        w.WriteNull("license");
        if (webhook)
        {
            // The push payload carries epoch seconds here, as GitHub's does (other events carry date-times).
            w.WriteNumber("created_at", r.CreatedAt.ToUnixTimeSeconds());
            w.WriteNumber("pushed_at", r.PushedAt.ToUnixTimeSeconds());
        }
        else
        {
            w.WriteDate("created_at", r.CreatedAt);
            w.WriteDate("pushed_at", r.PushedAt);
        }

        w.WriteDate("updated_at", r.UpdatedAt);
        var forks = r.Forks?.Count ?? 0;
        var openIssues = r.Issues?.Count(i => i.Open) ?? 0;
        foreach (var (name, value) in new[] { ("size", 0), ("stargazers_count", 0), ("watchers_count", 0), ("watchers", 0), ("forks_count", forks), ("forks", forks), ("open_issues_count", openIssues), ("open_issues", openIssues) })
        {
            w.WriteNumber(name, value);
        }

        w.WriteBoolean("has_issues", r.HasIssues);
        foreach (var name in new[] { "has_projects", "has_downloads", "has_wiki", "allow_forking" })
        {
            w.WriteBoolean(name, true);
        }

        // A blocked repository still appears in lists, marked disabled (ossf/allstar issue 36).
        w.WriteBoolean("disabled", r.BlockStatus is not null);
        foreach (var name in new[] { "has_pages", "has_discussions", "is_template", "web_commit_signoff_required" })
        {
            w.WriteBoolean(name, false);
        }

        w.WriteBoolean("archived", r.Archived);
        w.WriteStartArray("topics");
        w.WriteEndArray();
        w.WriteString("visibility", r.Private ? "private" : "public");
        w.WriteString("default_branch", r.DefaultBranch);
        if (permission is not null)
        {
            WritePermissions(w, permission);
        }

        if (full)
        {
            w.WriteNumber("network_count", r.Root.Forks?.Count ?? 0);
            w.WriteNumber("subscribers_count", 0);
            if (r.Parent is not null)
            {
                w.WritePropertyName("parent");
                Write(w, r.Parent, b);
                w.WritePropertyName("source");
                Write(w, r.Root, b);
            }
        }

        w.WriteEndObject();
    }

    private static void WritePermissions(Utf8JsonWriter w, string permission)
    {
        var rank = Rank(permission);
        w.WriteStartObject("permissions");
        w.WriteBoolean("admin", rank >= 5);
        w.WriteBoolean("maintain", rank >= 4);
        w.WriteBoolean("push", rank >= 3);
        w.WriteBoolean("triage", rank >= 2);
        w.WriteBoolean("pull", rank >= 1);
        w.WriteEndObject();
    }

    public static int Rank(string? permission) => permission switch
    {
        "admin" => 5,
        "maintain" => 4,
        "write" or "push" => 3,
        "triage" => 2,
        "read" or "pull" => 1,
        _ => 0,
    };

    private static string Host(string b) => new Uri(b).Authority;

    private static readonly (string Name, string Suffix)[] UrlTemplates =
    [
        ("forks_url", "/forks"), ("keys_url", "/keys{/key_id}"), ("collaborators_url", "/collaborators{/collaborator}"),
        ("teams_url", "/teams"), ("hooks_url", "/hooks"), ("issue_events_url", "/issues/events{/number}"),
        ("events_url", "/events"), ("assignees_url", "/assignees{/user}"), ("branches_url", "/branches{/branch}"),
        ("tags_url", "/tags"), ("blobs_url", "/git/blobs{/sha}"), ("git_tags_url", "/git/tags{/sha}"),
        ("git_refs_url", "/git/refs{/sha}"), ("trees_url", "/git/trees{/sha}"), ("statuses_url", "/statuses/{sha}"),
        ("languages_url", "/languages"), ("stargazers_url", "/stargazers"), ("contributors_url", "/contributors"),
        ("subscribers_url", "/subscribers"), ("subscription_url", "/subscription"), ("commits_url", "/commits{/sha}"),
        ("git_commits_url", "/git/commits{/sha}"), ("comments_url", "/comments{/number}"),
        ("issue_comment_url", "/issues/comments{/number}"), ("contents_url", "/contents/{+path}"),
        ("compare_url", "/compare/{base}...{head}"), ("merges_url", "/merges"), ("archive_url", "/{archive_format}{/ref}"),
        ("downloads_url", "/downloads"), ("issues_url", "/issues{/number}"), ("pulls_url", "/pulls{/number}"),
        ("milestones_url", "/milestones{/number}"), ("notifications_url", "/notifications{?since,all,participating}"),
        ("labels_url", "/labels{/name}"), ("releases_url", "/releases{/id}"), ("deployments_url", "/deployments"),
    ];
}
