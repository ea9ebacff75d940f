using System.Globalization;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>Which of a library's three registered apps a journey uses.</summary>
public enum InteropApp
{
    /// <summary>A first-party app (implicit consent).</summary>
    First,

    /// <summary>A second first-party app, for single sign-on.</summary>
    Second,

    /// <summary>A third-party app: the user is asked for consent.</summary>
    ThirdParty,
}

/// <summary>
/// A relying-party library driven in the browser. Each has three apps registered with the provider
/// (<see cref="InteropApp"/>) and shows its state as one line in <c>#status</c>:
/// "&lt;client id&gt;: signed in as …", ": error &lt;code&gt;" or ": signed out, state …".
/// </summary>
public abstract class RelyingParty(string library) : IAsyncDisposable
{
    public string Library { get; } = library;

    /// <summary>Starts the app's own servers, once the provider runs.</summary>
    public virtual Task StartAsync(string packagesDirectory) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops what <see cref="StartAsync"/> started.</summary>
    protected virtual ValueTask StopAsync() => ValueTask.CompletedTask;

    public string ClientId(InteropApp app) => Library + app switch
    {
        InteropApp.First => "-a",
        InteropApp.Second => "-b",
        _ => "-partner",
    };

    /// <summary>Makes the app start signing in (with <c>prompt</c>, if given); the browser follows wherever it leads.</summary>
    public abstract Task StartSignInAsync(IPage page, InteropApp app, string? prompt = null);

    /// <summary>Makes the app start an RP-initiated logout without id_token_hint, so the provider asks the user.</summary>
    public abstract Task StartSignOutAsync(IPage page, InteropApp app);

    /// <summary>The bootstrap settings that register this library's three apps, from client index <paramref name="first"/>.</summary>
    public abstract void Register(Dictionary<string, string?> settings, int first);

    public override string ToString() => Library;

    /// <summary>Registers one app as <c>Bootstrap:Clients:{index}</c>; a null secret makes a public client.</summary>
    protected static void RegisterApp(
        Dictionary<string, string?> settings, int index, string clientId, string? secret, bool thirdParty,
        string redirectUri, string postLogoutRedirectUri, bool native = false)
    {
        var prefix = $"Bootstrap:Clients:{index.ToString(CultureInfo.InvariantCulture)}:";
        settings[prefix + "ClientId"] = clientId;
        settings[prefix + "DisplayName"] = clientId;
        settings[prefix + "Type"] = secret is null ? "public" : "confidential";
        settings[prefix + "ClientSecret"] = secret;
        settings[prefix + "Application"] = native ? "native" : "web";
        settings[prefix + "Consent"] = thirdParty ? "Explicit" : "Implicit";
        settings[prefix + "Grants:0"] = "authorization_code";
        settings[prefix + "Grants:1"] = "refresh_token";
        settings[prefix + "Scopes:0"] = "profile";
        settings[prefix + "Scopes:1"] = "email";
        settings[prefix + "RedirectUris:0"] = redirectUri;
        settings[prefix + "PostLogoutRedirectUris:0"] = postLogoutRedirectUri;
    }
}
