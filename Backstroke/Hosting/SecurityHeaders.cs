namespace Backstroke.Hosting;

/// <summary>
/// Headers that make every answer harder to misuse from another site: scripts, styles and requests only from this
/// origin (no inline script, so an injected tag cannot run), no framing (clickjacking a sign-out or a delete button),
/// no guessing of content types, and no full address in the Referer sent elsewhere.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            // For browsers that predate frame-ancestors.
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
}
