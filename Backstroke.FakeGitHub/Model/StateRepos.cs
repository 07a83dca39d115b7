namespace Backstroke.FakeGitHub.Model;

/// <summary>Repository life cycle: create, fork, rename, archive, delete.</summary>
internal sealed partial class FakeGitHubState
{
    /// <summary>
    /// Creates a repository. A fork copies its parent's branch table (not the commits: they are shared in the
    /// graph), so it holds the parent's history at the time of forking. A new non-fork repository gets an
    /// initial commit on its default branch, as "Initialize this repository with a README" does.
    /// </summary>
    public Repo CreateRepo(string owner, string name, bool isPrivate = false, string? defaultBranch = null, string? forkOf = null)
    {
        lock (Gate)
        {
            if (_repos.ContainsKey(owner + "/" + name))
            {
                throw new FakeGitHubException(422, $"Repository {owner}/{name} already exists.");
            }

            Repo? parent = null;
            if (forkOf is not null)
            {
                var parts = forkOf.Split('/');
                parent = parts.Length == 2 ? FindRepo(parts[0], parts[1]) : null;
                if (parent is null)
                {
                    throw new FakeGitHubException(404, $"Repository {forkOf} doesn't exist.");
                }
            }

            var account = _accounts.GetValueOrDefault(owner) ?? EnsureAccount(owner, organization: true);
            var repo = new Repo(NextId(), account, name, Now) { Private = isPrivate };
            if (parent is not null)
            {
                repo.Parent = parent;
                repo.Source = parent.Root;
                repo.Private = parent.Private;
                repo.DefaultBranch = defaultBranch ?? parent.DefaultBranch;
                repo.Description = parent.Description;
                repo.HasIssues = false;
                foreach (var (branch, sha) in parent.Branches)
                {
                    repo.Branches[branch] = sha;
                }

                (parent.Forks ??= []).Add(repo);
            }
            else
            {
                repo.DefaultBranch = defaultBranch ?? "main";
                repo.Branches[repo.DefaultBranch] = Graph.Add([], "Initial commit", Now, account.Login);
            }

            _repos[repo.FullName] = repo;
            _reposById[repo.Id] = repo;
            IndexRepo(account, repo);
            return repo;
        }
    }

    public void DeleteRepo(Repo repo, Account? sender = null)
    {
        lock (Gate)
        {
            // Told before the repository goes, so its own hooks still hear of it.
            PushListener?.RepositoryChanged(repo, "deleted", null, sender ?? repo.Owner);
            repo.Deleted = true;
            _repos.Remove(repo.FullName);
            repo.Parent?.Forks?.Remove(repo);

            // The forks stay and stand on their own, each the root of its own network from now on.
            foreach (var fork in repo.Forks ?? [])
            {
                fork.Parent = null;
                Reroot(fork, fork);
            }
        }
    }

    /// <summary>Renames; the old name keeps answering with a redirect, as on GitHub.</summary>
    public void RenameRepo(Repo repo, string newName, Account? sender = null)
    {
        lock (Gate)
        {
            if (_repos.ContainsKey(repo.Owner.Login + "/" + newName))
            {
                throw new FakeGitHubException(422, "name already exists on this account");
            }

            var from = repo.Name;
            Move(repo, repo.Owner, newName);
            PushListener?.RepositoryChanged(repo, "renamed", from, sender ?? repo.Owner);
        }
    }

    /// <summary>Transfers to another account; the old name keeps answering with a redirect, as a rename does.</summary>
    public void TransferRepo(Repo repo, string newOwner, Account? sender = null)
    {
        lock (Gate)
        {
            var account = _accounts.GetValueOrDefault(newOwner) ?? throw new FakeGitHubException(404, $"No account {newOwner}.");
            if (_repos.ContainsKey(account.Login + "/" + repo.Name))
            {
                throw new FakeGitHubException(422, $"{account.Login} already has a repository named {repo.Name}.");
            }

            var from = repo.Owner;
            Move(repo, account, repo.Name);
            IndexRepo(account, repo);
            if (_reposByAccount.TryGetValue(from.Id, out var list))
            {
                list.Remove(repo);
            }

            PushListener?.RepositoryChanged(repo, "transferred", from, sender ?? from);
        }
    }

    private void Move(Repo repo, Account owner, string name)
    {
        _repos.Remove(repo.FullName);
        _renamed[repo.FullName] = repo.Id;
        repo.Owner = owner;
        repo.Name = name;
        repo.UpdatedAt = Now;
        _repos[repo.FullName] = repo;
        _renamed.Remove(repo.FullName);
    }

    private static void Reroot(Repo repo, Repo root)
    {
        repo.Source = repo == root ? null : root;
        foreach (var fork in repo.Forks ?? [])
        {
            Reroot(fork, root);
        }
    }

    public void AddCollaborator(Repo repo, string login, string permission)
    {
        lock (Gate)
        {
            var account = EnsureAccount(login, organization: false);
            (repo.Collaborators ??= new(StringComparer.OrdinalIgnoreCase))[account.Login] = permission;
            IndexRepo(account, repo);
        }
    }

    /// <summary>Every repository an account owns or collaborates on, newest first, for GET /user/repos.</summary>
    private void IndexRepo(Account account, Repo repo)
    {
        if (!_reposByAccount.TryGetValue(account.Id, out var list))
        {
            _reposByAccount[account.Id] = list = [];
        }

        if (!list.Contains(repo))
        {
            list.Add(repo);
        }
    }
}

/// <summary>A refusal the simulator answers in GitHub's error shape.</summary>
/// <remarks><see cref="Answer"/>, when set, is the whole answer (a body with more than a message).</remarks>
internal sealed class FakeGitHubException(int status, string message, IResult? answer = null) : Exception(message)
{
    public int Status { get; } = status;
    public IResult? Answer { get; } = answer;
}
