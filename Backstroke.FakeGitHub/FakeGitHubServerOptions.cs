namespace Backstroke.FakeGitHub;

/// <summary>How a simulator instance starts. Defaults are GitHub's where GitHub has one.</summary>
internal sealed class FakeGitHubServerOptions
{
    /// <summary>Kestrel address; port 0 picks a free one (tests), the program passes --urls.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Drives commit dates and rate-limit windows; tests pass a FakeTimeProvider to reach a reset at once.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public int RateLimit { get; set; } = 5000;
    public int AnonymousRateLimit { get; set; } = 60;

    /// <summary>
    /// GitHub's secondary limits (100 requests in flight, 900 points a minute, 80 content-creating requests a minute
    /// and 500 an hour, per account). Off only for load tests that exceed them on purpose.
    /// </summary>
    public bool SecondaryRateLimits { get; set; } = true;

    /// <summary>How long a webhook receiver has to answer; GitHub gives up after 10 seconds and does not retry.</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An OAuth app registered at start, so the web flow works without setup.</summary>
    public string OAuthClientId { get; set; } = "fake-client-id";
    public string OAuthClientSecret { get; set; } = "fake-client-secret";

    /// <summary>Console logging of ASP.NET Core warnings; never one line per request, which would cap throughput.</summary>
    public bool ConsoleLogging { get; set; }

    /// <summary>A ready scenario to create at start: "demo" or null.</summary>
    public string? Seed { get; set; }
}
