using System.Globalization;
using IdentityProvider.Connect;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>The browser fixture plus two company apps (first-party, back-channel logout) registered with the provider.</summary>
public sealed class SsoBrowserFixture : BrowserFixture
{
    private readonly int _portA = FreeLoopbackPort();
    private readonly int _portB = FreeLoopbackPort();

    public CompanyApp AppA { get; private set; } = null!;

    public CompanyApp AppB { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        AppA = await CompanyApp.StartAsync(this, "AppA", "app-a", "app-a-secret-value", _portA);
        AppB = await CompanyApp.StartAsync(this, "AppB", "app-b", "app-b-secret-value", _portB);
    }

    protected override void AddProviderSettings(Dictionary<string, string?> settings)
    {
        // After the clients ProviderFactory seeds (0-5).
        AddCompanyApp(settings, 6, "app-a", _portA);
        AddCompanyApp(settings, 7, "app-b", _portB);
    }

    /// <summary>The provider's back-channel calls must trust the apps' test certificate.</summary>
    protected override void ConfigureProviderServices(IServiceCollection services) =>
        services.AddHttpClient(BackchannelLogoutSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(TrustingHandler);

    private static void AddCompanyApp(Dictionary<string, string?> settings, int index, string clientId, int port)
    {
        var prefix = $"Bootstrap:Clients:{index.ToString(CultureInfo.InvariantCulture)}:";
        var origin = $"https://localhost:{port.ToString(CultureInfo.InvariantCulture)}";
        settings[prefix + "ClientId"] = clientId;
        settings[prefix + "ClientSecret"] = clientId + "-secret-value";
        settings[prefix + "Consent"] = "Implicit";
        settings[prefix + "Grants:0"] = "authorization_code";
        settings[prefix + "Scopes:0"] = "profile";
        settings[prefix + "Scopes:1"] = "email";
        settings[prefix + "RedirectUris:0"] = origin + "/signin-oidc";
        settings[prefix + "PostLogoutRedirectUris:0"] = origin + "/signout-callback-oidc";
        settings[prefix + "BackchannelLogoutUri"] = origin + "/backchannel-logout";
    }

    public override async Task DisposeAsync()
    {
        if (AppA is not null)
        {
            await AppA.DisposeAsync();
        }

        if (AppB is not null)
        {
            await AppB.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
