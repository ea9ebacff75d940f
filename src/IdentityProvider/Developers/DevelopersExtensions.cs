namespace IdentityProvider.Developers;

internal static class DevelopersExtensions
{
    public static WebApplicationBuilder AddDevelopers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DevelopersOptions>().BindConfiguration(DevelopersOptions.SectionName).ValidateOnStart();
        builder.Services.AddScoped<InitialAccessTokens>();
        builder.Services.AddScoped<ThirdPartyApps>();
        builder.Services.AddScoped<ThirdPartyScopes>();
        builder.Services.AddSingleton<HeldApps>();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.AddEventHandler(HeldAppRefusal.AuthorizationDescriptor);
            options.AddEventHandler(HeldAppRefusal.TokenDescriptor);
            options.AddEventHandler(RegistrationDiscoveryHandler.Descriptor);
        });
        return builder;
    }
}
