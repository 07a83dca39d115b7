namespace Backstroke.FakeGitHub.Model;

/// <summary>Labels, issues and pull requests (which share the issue numbering).</summary>
internal sealed partial class FakeGitHubState
{
    /// <summary>GitHub's 410 answer where Issues are off (ossf/allstar issue 64, google/github-issue-mover issue 148).</summary>
    public const string IssuesDisabled = "Issues are disabled for this repo";

    public Label? FindLabel(Repo repo, string name)
    {
        lock (Gate)
        {
            return repo.Labels?.GetValueOrDefault(name);
        }
    }

    public Label CreateLabel(Repo repo, string name, string color = "ededed", string description = "")
    {
        lock (Gate)
        {
            repo.Labels ??= new(StringComparer.OrdinalIgnoreCase);
            if (repo.Labels.ContainsKey(name))
            {
                throw new FakeGitHubException(422, "already_exists");
            }

            var label = new Label(NextId(), name, color, description);
            repo.Labels[name] = label;
            return label;
        }
    }

    /// <param name="viaApi">A request to create an issue (not a pull request's own issue), refused where Issues are off.</param>
    public Issue CreateIssue(Repo repo, Account user, string title, string? body, IEnumerable<string> labels, bool viaApi = false)
    {
        lock (Gate)
        {
            if (viaApi && !repo.HasIssues)
            {
                throw new FakeGitHubException(410, IssuesDisabled);
            }

            repo.Issues ??= [];
            var issue = new Issue(NextId(), repo.Issues.Count + 1, user, Now) { Title = title, Body = body };
            repo.Issues.Add(issue);
            AddLabels(repo, issue, labels);
            return issue;
        }
    }

    /// <summary>Adds labels to an issue, creating unknown ones in the repository as GitHub does.</summary>
    public void AddLabels(Repo repo, Issue issue, IEnumerable<string> names)
    {
        lock (Gate)
        {
            foreach (var name in names)
            {
                var label = FindLabel(repo, name) ?? CreateLabel(repo, name);
                if (!issue.Labels.Contains(label))
                {
                    issue.Labels.Add(label);
                }
            }

            issue.UpdatedAt = Now;
        }
    }

    public Issue? FindIssue(Repo repo, int number)
    {
        lock (Gate)
        {
            return repo.Issues is { } list && number >= 1 && number <= list.Count ? list[number - 1] : null;
        }
    }

    /// <summary>The open pull request with this head and base, the one GitHub refuses to duplicate.</summary>
    public Issue? FindOpenPull(Repo baseRepo, string baseRef, Repo headRepo, string headRef)
    {
        lock (Gate)
        {
            return baseRepo.Issues?.FirstOrDefault(i => i is { Open: true, Pull: { } p }
                && p.BaseRef == baseRef && p.HeadRepo == headRepo && p.HeadRef == headRef);
        }
    }

    public Issue CreatePull(Repo baseRepo, string baseRef, Repo headRepo, string headRef, Account user, string title, string? body, bool maintainerCanModify, bool draft)
    {
        lock (Gate)
        {
            var issue = CreateIssue(baseRepo, user, title, body, []);
            issue.Pull = new PullInfo(headRepo, headRef, headRepo.Branches[headRef], baseRepo, baseRef)
            {
                MaintainerCanModify = maintainerCanModify,
                Draft = draft,
            };
            return issue;
        }
    }

    /// <summary>Merges a pull request with a merge commit on the base branch.</summary>
    public string MergePull(Issue issue, Account by)
    {
        lock (Gate)
        {
            var pull = issue.Pull!;
            var baseSha = pull.BaseRepo.Branches[pull.BaseRef];
            var merge = Graph.Add([baseSha, pull.HeadSha], $"Merge pull request #{issue.Number} from {pull.HeadLabel}", Now, by.Login);
            MoveBranch(pull.BaseRepo, pull.BaseRef, merge, by, forced: false);
            pull.Merged = true;
            pull.MergedAt = Now;
            pull.MergedBy = by;
            pull.MergeCommitSha = Graph[merge].Sha;
            issue.Open = false;
            issue.ClosedAt = Now;
            issue.UpdatedAt = Now;
            return pull.MergeCommitSha;
        }
    }
}

/// <summary>Hooks.</summary>
internal sealed partial class FakeGitHubState
{
    public Hook AddHook(Repo repo, string url, string? secret, string[] events, bool active = true)
    {
        lock (Gate)
        {
            var hook = new Hook(NextId(), url, Now) { Secret = secret, Events = events, Active = active, ContentType = "json" };
            (repo.Hooks ??= []).Add(hook);
            return hook;
        }
    }
}
