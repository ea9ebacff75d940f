using IdentityProvider.Clients;
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

    /// <summary>Adds this library's three apps to the clients the provider registers.</summary>
    public void Register(List<ClientDefinition> clients) => clients.AddRange(Enum.GetValues<InteropApp>().Select(Registration));

    /// <summary>How one of the library's apps is registered (see <see cref="App"/>).</summary>
    protected abstract ClientDefinition Registration(InteropApp app);

    public override string ToString() => Library;

    /// <summary>One app's registration; a null secret makes a public client.</summary>
    protected static ClientDefinition App(
        string clientId, string? secret, bool thirdParty, string redirectUri, string postLogoutRedirectUri, bool native = false) => new()
    {
        ClientId = clientId,
        DisplayName = clientId,
        Type = secret is null ? ClientKind.Public : ClientKind.Confidential,
        ClientSecret = secret,
        Application = native ? ApplicationKind.Native : ApplicationKind.Web,
        Consent = thirdParty ? ConsentMode.Explicit : ConsentMode.Implicit,
        Grants = ["authorization_code", "refresh_token"],
        Scopes = ["profile", "email"],
        RedirectUris = [new Uri(redirectUri)],
        PostLogoutRedirectUris = [new Uri(postLogoutRedirectUri)],
    };
}
