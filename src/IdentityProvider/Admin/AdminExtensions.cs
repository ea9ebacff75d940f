using IdentityProvider.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Admin;

internal static class AdminExtensions
{
    public const string Policy = "Admin";

    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().RequireRole(AdminOptions.Role));
        // PostConfigure: Razor Pages' own set-up replaces the convention collection whenever it runs.
        builder.Services.PostConfigure<RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Admin", Policy);
            options.Conventions.AddFolderApplicationModelConvention("/Admin", model =>
            {
                model.Filters.Add(new Microsoft.AspNetCore.Mvc.ServiceFilterAttribute(typeof(AdminRecentSignIn)));
                model.Filters.Add(new ConcurrentChangeFilter());
            });
        });

        // A signed-in user without the right role gets a 403 (whose body is the error page), not a redirect
        // to a page that would answer 200.
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, cookie =>
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            });

        builder.Services.AddScoped<AdminRecentSignIn>();
        return builder;
    }
}
