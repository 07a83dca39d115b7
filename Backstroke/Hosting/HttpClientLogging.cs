using Microsoft.Extensions.Http.Logging;

namespace Backstroke.Hosting;

/// <summary>
/// What the HTTP client factory's clients log: method, address without its query, status and time. The factory's own
/// loggers write every header at Trace; they print the values as <c>*</c>, but hand them to the logging provider as
/// event properties all the same, so <c>Authorization: token …</c> reached the log whenever someone asked for Trace.
/// </summary>
internal static partial class HttpClientLogging
{
    public static IServiceCollection AddHttpClientLogging(this IServiceCollection services)
    {
        services.AddSingleton<HttpRequestLogger>();
        services.ConfigureHttpClientDefaults(client => client.RemoveAllLoggers().AddLogger<HttpRequestLogger>());
        return services;
    }

    /// <summary>A query may carry a code or a state; the path is what tells requests apart.</summary>
    internal static string Address(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? uri.GetLeftPart(UriPartial.Path) : request.RequestUri?.OriginalString.Split('?')[0] ?? "";

    private sealed partial class HttpRequestLogger(ILoggerFactory loggers) : IHttpClientLogger
    {
        // The factory's own category, so the usual override (System.Net.Http.HttpClient) still turns this up or down.
        private readonly ILogger logger = loggers.CreateLogger("System.Net.Http.HttpClient");

        public object? LogRequestStart(HttpRequestMessage request) => null;

        public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
            LogDone(request.Method.Method, Address(request), (int)response.StatusCode, elapsed.TotalMilliseconds);

        public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
            LogFailed(request.Method.Method, Address(request), exception.GetType().Name, elapsed.TotalMilliseconds);

        [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {HttpMethod} {Uri} answered {StatusCode} in {Elapsed:0.0} ms")]
        private partial void LogDone(string httpMethod, string uri, int statusCode, double elapsed);

        [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {HttpMethod} {Uri} failed with {Error} after {Elapsed:0.0} ms")]
        private partial void LogFailed(string httpMethod, string uri, string error, double elapsed);
    }
}
