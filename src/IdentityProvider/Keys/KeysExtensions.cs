using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityProvider.Keys;

internal static class KeysExtensions
{
    public static WebApplicationBuilder AddKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyOptions>()
            .BindConfiguration(KeyOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KeyOptions>, KeyOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<KeyRing>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeysSetup>();

        // Data Protection takes the certificates themselves, so they are loaded while the services are put
        // together. Without one the key ring is stored as it is (Data Protection then warns at start-up).
        var keyRingProtection = builder.Configuration.GetSection(KeyOptions.SectionName).Get<KeyOptions>()?.KeyRingProtection ?? [];
        if (keyRingProtection.Count > 0)
        {
            var failures = new List<string>();
            KeyOptionsValidation.Check(keyRingProtection, "Keys:KeyRingProtection", failures);
            if (failures.Count > 0)
            {
                throw new OptionsValidationException(KeyOptions.SectionName, typeof(KeyOptions), failures);
            }

            var certificates = keyRingProtection.Select(CertificateLoader.Load).ToArray();
            builder.Services.AddDataProtection().ProtectKeysWithCertificate(certificates[0]).UnprotectKeysWithAnyCertificate(certificates);
        }

        return builder;
    }

    /// <summary>
    /// Generates the stored keys on first start (the RSA ones only where no certificates are configured), then loads the
    /// server options once so that a broken key configuration stops start-up instead of the first request.
    /// </summary>
    public static async Task PrepareKeysAsync(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<IOptions<KeyOptions>>().Value;
        var storedUses = new List<string>(StoredKey.InternalUses);
        if (keys.Signing.Count == 0)
        {
            storedUses.Add(StoredKey.SigningUse);
        }

        if (keys.Encryption.Count == 0)
        {
            storedUses.Add(StoredKey.EncryptionUse);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KeyRing>().EnsureKeysAsync(storedUses);
        }

        _ = app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
    }
}
