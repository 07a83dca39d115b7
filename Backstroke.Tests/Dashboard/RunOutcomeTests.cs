using System.Text.Json;
using Backstroke.Data;
using Backstroke.Sync;

namespace Backstroke.Tests.Dashboard;

/// <summary>The outcome in words: the one sentence every page shows for a run, from the outputs a sync stores.</summary>
public sealed class RunOutcomeTests
{
    private static Operation Done(string output) => new() { Id = "op", LinkId = "l", Status = OperationStatus.Ok, Output = output };

    [Fact]
    public void A_new_pull_request_is_named_by_its_number_and_links_to_it()
    {
        var outcome = RunOutcome.Of(Done("""{"many":false,"forkCount":1,"message":"Successfully created pull request on me/lib.","pullRequest":{"number":7,"url":"https://github.com/me/lib/pull/7"},"mergeType":"pull-request"}"""))!;

        outcome.Text.Should().Be("Opened pull request #7");
        outcome.Url.Should().Be("https://github.com/me/lib/pull/7");
        outcome.Failed.Should().BeFalse();
        outcome.Advice.Should().BeNull();
    }

    [Fact]
    public void An_open_pull_request_fast_forward_and_no_change_each_have_their_words()
    {
        RunOutcome.Of(Done($$"""{"many":false,"forkCount":1,"message":"{{SyncMessages.PullRequestAlreadyOpen}}","pullRequest":{"number":3,"url":"https://github.com/me/lib/pull/3"},"mergeType":null}"""))!
            .Should().Be(new RunOutcome("Pull request #3 already open", "https://github.com/me/lib/pull/3"));
        RunOutcome.Of(Done("""{"many":false,"forkCount":1,"message":"Fast-forwarded me/lib@main to up/lib@main at 1a2b3c4.","pullRequest":null,"mergeType":"fast-forward"}"""))!
            .Should().Be(new RunOutcome("Fast-forwarded to 1a2b3c4", Advice: "Fast-forwarded me/lib@main to up/lib@main at 1a2b3c4."));
        RunOutcome.Of(Done($$"""{"many":false,"forkCount":1,"message":"{{SyncMessages.UpToDate}}","pullRequest":null,"mergeType":null}"""))!
            .Text.Should().Be("Already up to date");
    }

    [Fact]
    public void A_fast_forward_link_that_got_a_pull_request_says_why()
    {
        var outcome = RunOutcome.Of(Done("""{"many":false,"forkCount":1,"message":"Successfully created pull request on me/lib. Not fast-forwarded: the fork has commits of its own.","pullRequest":{"number":2,"url":"https://github.com/me/lib/pull/2"},"mergeType":"pull-request"}"""))!;

        outcome.Text.Should().Be("Opened pull request #2");
        outcome.Advice.Should().Be("Not fast-forwarded: the fork has commits of its own.");
    }

    [Fact]
    public void An_error_says_what_to_do_about_it()
    {
        var branch = RunOutcome.Of(new Operation { Id = "op", LinkId = "l", Status = OperationStatus.Error, Error = "Branch dev doesn't exist on repository me/lib." })!;
        var optedOut = RunOutcome.Failure(SyncMessages.OptedOut);
        var token = RunOutcome.Failure(SyncMessages.NoToken);

        branch.Failed.Should().BeTrue();
        branch.Text.Should().Contain("Branch dev");
        branch.Advice.Should().Contain("choose an existing branch");
        optedOut.Advice.Should().Contain("optout");
        token.Advice.Should().BeNull("the sentence already says to sign in again");
    }

    [Fact]
    public void A_fork_all_run_counts_its_forks_and_each_fork_has_its_own_outcome()
    {
        const string output = """{"many":true,"metrics":{"total":2,"successes":1},"errors":[{"fork":"ann/lib","error":"This repo opted out of backstroke pull requests"}],"forks":[{"fork":"me/lib","status":"ok","message":"Successfully created pull request on me/lib.","pullRequest":{"number":1,"url":"https://github.com/me/lib/pull/1"},"mergeType":"pull-request"},{"fork":"ann/lib","status":"error","message":"This repo opted out of backstroke pull requests","pullRequest":null,"mergeType":null}]}""";
        using var json = JsonDocument.Parse(output);
        var forks = json.RootElement.GetProperty("forks").EnumerateArray().Select(RunOutcome.OfTarget).ToList();

        RunOutcome.Of(Done(output))!.Text.Should().Be("Synced 1 of 2 forks");
        forks[0].Should().Be(new RunOutcome("Opened pull request #1", "https://github.com/me/lib/pull/1"));
        forks[1].Failed.Should().BeTrue();
    }
}
