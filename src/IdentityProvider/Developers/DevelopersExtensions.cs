using IdentityProvider.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Developers;

internal static class DevelopersExtensions
{
    public static WebApplicationBuilder AddDevelopers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DevelopersOptions>().BindConfiguration(DevelopersOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<InitialAccessTokens>();
        builder.Services.AddScoped<ThirdPartyApps>();
        builder.Services.AddScoped<ThirdPartyScopes>();
        builder.Services.AddSingleton<HeldApps>();
        builder.Services.AddScoped<IAuthorizationHandler, DeveloperAccess>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DeveloperAccess.Policy, policy => policy.RequireAuthenticatedUser().AddRequirements(new DeveloperAccess.Requirement()));
        // PostConfigure: Razor Pages' own set-up replaces the convention collection whenever it runs.
        builder.Services.PostConfigure<RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Developer", DeveloperAccess.Policy);
            options.Conventions.AddFolderApplicationModelConvention("/Developer", model => model.Filters.Add(new ConcurrentChangeFilter()));
        });
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.AddEventHandler(HeldAppRefusal.AuthorizationDescriptor);
            options.AddEventHandler(HeldAppRefusal.TokenDescriptor);
            options.AddEventHandler(HeldAppRefusal.EndSessionDescriptor);
            options.AddEventHandler(RegistrationDiscoveryHandler.Descriptor);
        });
        return builder;
    }
}
