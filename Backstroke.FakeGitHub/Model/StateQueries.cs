namespace Backstroke.FakeGitHub.Model;

/// <summary>A pull request as tests read it: what the client sent and where it points now.</summary>
internal sealed record PullRequestInfo(int Number, string State, string Title, string? Body, string Head, string Base, string HeadSha, bool MaintainerCanModify, bool Merged);

/// <summary>Read-only views for tests and the control API.</summary>
internal sealed partial class FakeGitHubState
{
    public string? BranchSha(Repo repo, string branch)
    {
        lock (Gate)
        {
            return repo.Branches.TryGetValue(branch, out var sha) ? Graph[sha].Sha : null;
        }
    }

    public IReadOnlyList<PullRequestInfo> PullRequests(Repo repo)
    {
        lock (Gate)
        {
            return (repo.Issues ?? []).Where(i => i.Pull is not null).Select(i => new PullRequestInfo(
                i.Number, i.Open ? "open" : "closed", i.Title, i.Body, i.Pull!.HeadLabel, i.Pull.BaseRef,
                Graph[i.Pull.HeadSha].Sha, i.Pull.MaintainerCanModify, i.Pull.Merged)).ToList();
        }
    }
}
