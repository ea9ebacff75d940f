namespace IdentityProvider.Clients;

internal static class ClientsExtensions
{
    /// <summary>Client registration, diagnosis, secret rotation and remembered secret checks; the secret manager is OpenIddict's application manager (<c>AddConnect</c>).</summary>
    public static WebApplicationBuilder AddClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ClientRegistration>();
        builder.Services.AddScoped<ClientDiagnosis>();
        builder.Services.AddScoped<SecretRotation>();
        builder.Services.AddSingleton<VerifiedClientSecrets>();
        return builder;
    }
}
