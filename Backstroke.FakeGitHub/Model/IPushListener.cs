namespace Backstroke.FakeGitHub.Model;

/// <summary>Hears branch moves while the state lock is held, so it sees the repository exactly as the move left it.</summary>
internal interface IPushListener
{
    void BranchMoved(Repo repo, string branch, int? before, int? after, Account pusher, bool forced);

    void HookCreated(Repo repo, Hook hook, Account sender);

    /// <summary>A repository was renamed (<paramref name="from"/>: the old name), transferred (the old owner's Account) or deleted.</summary>
    void RepositoryChanged(Repo repo, string action, object? from, Account sender);

    /// <summary>An event for a GitHub App's own webhook (installation, installation_repositories), with its body.</summary>
    void AppEvent(Apps.AppRegistration app, string evt, byte[] body);
}
