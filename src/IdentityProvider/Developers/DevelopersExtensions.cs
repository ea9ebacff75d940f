namespace IdentityProvider.Developers;

internal static class DevelopersExtensions
{
    public static WebApplicationBuilder AddDevelopers(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<InitialAccessTokens>();
        return builder;
    }
}
