namespace Backstroke.FakeGitHub.Model;

/// <summary>Commits and branch moves. Every move tells the push listener, which is how webhooks fire.</summary>
internal sealed partial class FakeGitHubState
{
    /// <summary>Adds a commit on a branch (created from the default branch when missing) and returns its sha.</summary>
    /// <param name="paths">The files the commit touches; only whether one is a workflow file matters (the workflow scope).</param>
    public string Commit(Repo repo, string branch, string message, string? author = null, IReadOnlyList<string>? paths = null)
    {
        lock (Gate)
        {
            int? before = repo.Branches.TryGetValue(branch, out var head) ? head : null;
            var from = before ?? (repo.Branches.TryGetValue(repo.DefaultBranch, out var d) ? d : (int?)null);
            var workflow = paths?.FirstOrDefault(p => p.TrimStart('/').StartsWith(".github/workflows/", StringComparison.Ordinal));
            var sha = Graph.Add(from is { } f ? [f] : [], message, Now, author ?? repo.Owner.Login, workflow);
            MoveBranch(repo, branch, sha, repo.Owner, forced: false);
            return Graph[sha].Sha;
        }
    }

    /// <summary>Replaces a branch with a new root commit, so it shares no history with anything (git checkout --orphan, then a force push).</summary>
    public string Orphan(Repo repo, string branch, string message)
    {
        lock (Gate)
        {
            var sha = Graph.Add([], message, Now, repo.Owner.Login);
            MoveBranch(repo, branch, sha, repo.Owner, forced: repo.Branches.ContainsKey(branch));
            return Graph[sha].Sha;
        }
    }

    /// <summary>Points a branch at a commit; null deletes it.</summary>
    public void MoveBranch(Repo repo, string branch, int? sha, Account pusher, bool forced)
    {
        lock (Gate)
        {
            int? before = repo.Branches.TryGetValue(branch, out var old) ? old : null;
            if (before == sha)
            {
                return;
            }

            if (sha is { } s)
            {
                repo.Branches[branch] = s;
            }
            else
            {
                repo.Branches.Remove(branch);
            }

            repo.PushedAt = Now;
            PushListener?.BranchMoved(repo, branch, before, sha, pusher, forced);
        }
    }

    /// <summary>Resolves a branch name or a full sha to a commit of the graph.</summary>
    public int? ResolveRef(Repo repo, string reference)
    {
        lock (Gate)
        {
            if (repo.Branches.TryGetValue(reference, out var sha))
            {
                return sha;
            }

            if (reference.StartsWith("heads/", StringComparison.Ordinal) && repo.Branches.TryGetValue(reference[6..], out sha))
            {
                return sha;
            }

            return reference.Length == 40 && Graph.TryFind(reference, out sha) ? sha : null;
        }
    }

    /// <summary>Finds the repository of <paramref name="repo"/>'s fork network owned by <paramref name="owner"/>.</summary>
    public Repo? FindInNetwork(Repo repo, string owner)
    {
        lock (Gate)
        {
            if (string.Equals(repo.Owner.Login, owner, StringComparison.OrdinalIgnoreCase))
            {
                return repo;
            }

            var stack = new Stack<Repo>();
            stack.Push(repo.Root);
            while (stack.Count > 0)
            {
                var r = stack.Pop();
                if (!r.Deleted && string.Equals(r.Owner.Login, owner, StringComparison.OrdinalIgnoreCase))
                {
                    return r;
                }

                foreach (var f in r.Forks ?? [])
                {
                    stack.Push(f);
                }
            }

            return null;
        }
    }
}
