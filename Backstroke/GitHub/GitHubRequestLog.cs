using System.Diagnostics;
using Backstroke.Hosting;

namespace Backstroke.GitHub;

/// <summary>
/// Logs each request the gateway puts on the wire, at Debug: method, address without its query, status and time.
/// Never a header or a body, so a token cannot reach the log whatever level an operator asks for. The category sits
/// under the HTTP client's, so the usual override (<c>System.Net.Http.HttpClient</c>) turns it up or down too.
/// </summary>
internal sealed partial class GitHubRequestLog(ILoggerFactory loggers) : DelegatingHandler
{
    private readonly ILogger logger = loggers.CreateLogger("System.Net.Http.HttpClient.GitHub");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            LogDone(request.Method.Method, HttpClientLogging.Address(request), (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception exception)
        {
            LogFailed(request.Method.Method, HttpClientLogging.Address(request), exception.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "GitHub {HttpMethod} {Uri} answered {StatusCode} in {Elapsed:0.0} ms")]
    private partial void LogDone(string httpMethod, string uri, int statusCode, double elapsed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "GitHub {HttpMethod} {Uri} failed with {Error} after {Elapsed:0.0} ms")]
    private partial void LogFailed(string httpMethod, string uri, string error, double elapsed);
}
