using Backstroke.Hosting;
using Microsoft.AspNetCore.Diagnostics;

namespace Backstroke.Data;

/// <summary>
/// A request whose write the database refuses (see <see cref="DatabaseFailures"/>) is answered 503 with a sentence
/// and a <c>Retry-After</c>, whichever feature it reached: nothing of it was stored, and the same request can succeed
/// once the database accepts writes again. Anything else goes on to the host's own handling.
/// </summary>
internal static partial class DatabaseUnavailable
{
    private const string RetryAfterSeconds = "30";

    public static async Task WriteAsync(HttpContext context)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        await context.Response.WriteAsJsonAsync(new ErrorJson(DatabaseFailures.Unavailable), context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request was answered 503: the database refused its write")]
    public static partial void LogRefused(ILogger logger, Exception exception);

    /// <summary>First in the pipeline, so that it applies to every endpoint and page.</summary>
    public static IApplicationBuilder UseDatabaseUnavailableAnswers(this IApplicationBuilder app) => app.UseMiddleware<Middleware>();

    internal sealed class Middleware(RequestDelegate next, ILogger<Middleware> logger)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex) && !context.Response.HasStarted)
            {
                LogRefused(logger, ex);
                await WriteAsync(context);
            }
        }
    }

    /// <summary>In Development the developer exception page catches the failure first; it answers the same.</summary>
    internal sealed class DeveloperPageFilter(ILogger<Middleware> logger) : IDeveloperPageExceptionFilter
    {
        public Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
        {
            if (!DatabaseFailures.IsUnavailable(errorContext.Exception) || errorContext.HttpContext.Response.HasStarted)
            {
                return next(errorContext);
            }

            LogRefused(logger, errorContext.Exception);
            return WriteAsync(errorContext.HttpContext);
        }
    }
}
