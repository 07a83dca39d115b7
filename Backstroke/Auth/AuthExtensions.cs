using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backstroke.Auth;

/// <summary>Sign in with GitHub: an OAuth web flow that ends in a cookie session.</summary>
internal static class AuthExtensions
{
    public const string GitHubScheme = "GitHub";
    public const string CallbackPath = "/auth/github/callback";

    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddScoped<UserSignIn>();
        services.AddScoped<CurrentUser>();
        services.AddHttpClient(GitHubOAuthHandler.BackchannelName);

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "backstroke";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (directly or through a proxy that says so).
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/setup/login";
                cookie.Events = new CookieAuthenticationEvents
                {
                    // Scripts calling the JSON API want a status and a sentence, not a redirect to GitHub.
                    OnRedirectToLogin = context => IsApi(context.Request)
                        ? ErrorJson.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, "Sign in with GitHub first: visit /setup/login.")
                        : Redirect(context),
                    OnRedirectToAccessDenied = context => IsApi(context.Request)
                        ? ErrorJson.WriteAsync(context.Response, StatusCodes.Status403Forbidden, "You are not allowed to do that.")
                        : Redirect(context),
                    OnValidatePrincipal = CurrentUser.ValidatePrincipalAsync,
                };
            });
        services.AddAuthorizationBuilder().AddAdminPolicy();
        // The dashboard's forms carry an antiforgery token paired with this cookie; like the session's, it is Secure
        // whenever the request came over HTTPS, directly or through a trusted proxy that says so.
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // The OAuth scheme is configured from the GitHub settings but only added to the scheme list when an OAuth app
        // is configured (see MapAuth): without one, the app starts and the home page explains the setup.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OAuthOptions>, OAuthPostConfigureOptions<OAuthOptions, GitHubOAuthHandler>>());
        services.AddOptions<OAuthOptions>(GitHubScheme)
            .Configure<IOptions<GitHubOptions>, IHttpClientFactory>((oauth, github, http) =>
            {
                var options = github.Value;
                oauth.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                oauth.ClientId = options.ClientId ?? "";
                oauth.ClientSecret = options.ClientSecret ?? "";
                oauth.AuthorizationEndpoint = options.AuthorizationEndpoint;
                oauth.TokenEndpoint = options.TokenEndpoint;
                oauth.UserInformationEndpoint = options.UserInformationEndpoint;
                oauth.CallbackPath = CallbackPath;
                oauth.Scope.Clear();
                oauth.Scope.Add("repo");
                oauth.SaveTokens = false;
                oauth.Backchannel = http.CreateClient(GitHubOAuthHandler.BackchannelName);
                // The correlation cookie comes back on GitHub's top-level redirect: Lax is enough, and it must work
                // over plain http on a developer's machine.
                oauth.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oauth.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oauth.Events = new OAuthEvents
                {
                    OnCreatingTicket = context => context.HttpContext.RequestServices.GetRequiredService<UserSignIn>().CreateTicketAsync(context),
                    // The return address travelled inside the state; checked again, as the redirect it becomes.
                    OnTicketReceived = context =>
                    {
                        context.ReturnUri = LocalReturnUrl(context.ReturnUri);
                        return Task.CompletedTask;
                    },
                    OnRemoteFailure = context =>
                    {
                        // A refused consent, an expired code or a forged state: back home with a sentence, never a 500.
                        context.Response.Redirect("/?signin=failed");
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                };
            });
        return services;
    }

    /// <summary>The sign-in routes. Authentication and authorization themselves are in the pipeline (Program.cs).</summary>
    public static WebApplication MapAuth(this WebApplication app)
    {
        var github = app.Services.GetRequiredService<IOptions<GitHubOptions>>().Value;
        if (github.OAuthConfigured)
        {
            app.Services.GetRequiredService<IAuthenticationSchemeProvider>()
                .AddScheme(new AuthenticationScheme(GitHubScheme, "GitHub", typeof(GitHubOAuthHandler)));
        }

        app.MapGet("/setup/login", (HttpContext context) => Challenge(context, "repo"));
        app.MapGet("/setup/login/public", (HttpContext context) => Challenge(context, "public_repo"));
        // Sign-out (GET shows the button, POST signs out) is the dashboard's page Logout, so its form carries an
        // antiforgery token; it calls Sessions.EndAllAsync.
        return app;
    }

    private static IResult Challenge(HttpContext context, string scope)
    {
        var github = context.RequestServices.GetRequiredService<IOptions<GitHubOptions>>().Value;
        if (!github.OAuthConfigured)
        {
            // The home page says how to configure the OAuth app.
            return Results.Redirect("/");
        }

        var properties = new OAuthChallengeProperties { RedirectUri = LocalReturnUrl(context.Request.Query["returnUrl"]) };
        properties.SetScope(scope);
        return Results.Challenge(properties, [GitHubScheme]);
    }

    /// <summary>
    /// Only a path of this site, made of characters that mean the same to every browser: an absolute URL here would make
    /// the sign-in an open redirect, and browsers drop tabs and line breaks from a Location (so <c>/\t/evil.example</c>
    /// becomes <c>//evil.example</c>), while a line break or a non-ASCII character cannot be sent as a header at all.
    /// </summary>
    internal static string LocalReturnUrl(string? value) =>
        value is { Length: > 0 and <= 2048 } && value[0] == '/' && (value.Length == 1 || value[1] != '/')
        && value.AsSpan().IndexOfAnyExcept(SafePathCharacters) < 0 ? value : "/";

    private static readonly System.Buffers.SearchValues<char> SafePathCharacters = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?=&+,:@");

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/v1");

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
