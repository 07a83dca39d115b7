using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Backstroke.Auth;

/// <summary>
/// The <c>admin</c> authorization policy: signed in as one of the operators of <c>Backstroke:Admins</c>. Everything
/// operator-only asks for it by name. Anyone else signed in gets a 404, not a 403, so the page does not even tell it
/// exists; a signed-out visitor is sent to sign in, as for any signed-in page.
/// </summary>
internal static class AdminPolicy
{
    public const string Name = "admin";

    public static AuthorizationBuilder AddAdminPolicy(this AuthorizationBuilder authorization)
    {
        authorization.Services.AddScoped<IAuthorizationHandler, AdminHandler>();
        authorization.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, HiddenFromOthers>();
        return authorization.AddPolicy(Name, policy => policy.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
    }

    private sealed class AdminRequirement : IAuthorizationRequirement;

    private sealed class AdminHandler(CurrentUser user) : AuthorizationHandler<AdminRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
        {
            if (user.IsAdmin)
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class HiddenFromOthers : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler standard = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden && policy.Requirements.OfType<AdminRequirement>().Any())
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return standard.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
