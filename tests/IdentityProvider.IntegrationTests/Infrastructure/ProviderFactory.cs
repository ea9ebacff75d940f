using IdentityProvider.Bootstrap;
using IdentityProvider.Clients;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// The real provider, in process, on a given database, seeded with the test clients and users.
/// Several factories on one database stand for restarts or for several instances.
/// </summary>
public sealed class ProviderFactory(
    string? connectionString, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public const string ConfidentialClient = "first-party";
    public const string ConfidentialSecret = "first-party-secret-value";
    public const string ServiceClient = "service";
    public const string ServiceSecret = "service-secret-value";
    public const string PublicClient = "public-app";
    public const string PublicRedirectUri = "https://app.test/callback";
    public const string CompanyClient = "company-app";
    public const string CompanySecret = "company-app-secret-value";
    public const string CompanyRedirectUri = "https://company.test/signin-oidc";
    public const string CompanyPostLogoutUri = "https://company.test/signed-out";
    public const string PartnerClient = "partner-app";
    public const string PartnerSecret = "partner-app-secret-value";
    public const string PartnerRedirectUri = "https://partner.test/callback";
    public const string NativeClient = "native-app";
    public const string NativeRedirectUri = "http://127.0.0.1/callback";
    public const string UserEmail = "alice@example.com";
    public const string UserPassword = "correct horse battery staple";
    public const string UnconfirmedEmail = "unconfirmed@example.com";

    /// <summary>The clients the provider is seeded with (bootstrap): <see cref="StandardClients"/> unless a fixture says otherwise.</summary>
    public List<ClientDefinition> Clients { get; init; } = StandardClients();

    /// <summary>Service changes for one test host, applied after the provider's own registrations.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: appsettings.Development.json seeds a demo client whose settings would merge
        // into these, and tests should meet the production rules (HTTPS, explicit key storage).
        builder.UseEnvironment("Testing");
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Idp:Issuer"] = "https://idp.test/",
            ["Keys:StoreGeneratedKeys"] = "true",
            [TestKeyRing.Setting] = TestKeyRing.Path,
            // Tests sign in far more often than a person; RateLimitTests switch the limits back on.
            ["RateLimits:Enabled"] = "false",
            // Nobody reads a test host's console; warnings and errors still reach it.
            ["Logging:Console:LogLevel:Default"] = "Warning",
            ["Bootstrap:Scopes:0:Name"] = "api",
            ["Bootstrap:Scopes:0:Resources:0"] = "orders-api",
            ["Bootstrap:Scopes:1:Name"] = "admin",
            ["Bootstrap:Users:0:Email"] = UserEmail,
            ["Bootstrap:Users:0:Password"] = UserPassword,
            ["Bootstrap:Users:0:DisplayName"] = "Alice",
            ["Bootstrap:Users:0:Roles:0"] = "admin",
            ["Bootstrap:Users:1:Email"] = UnconfirmedEmail,
            ["Bootstrap:Users:1:Password"] = UserPassword,
            ["Bootstrap:Users:1:EmailConfirmed"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        // Recovery codes are PBKDF2-hashed with these iterations (100 000, ~45 ms of CPU each); the suite hashes
        // hundreds on two cores. Tests check what is hashed and verified, never how slowly. Passwords keep their
        // production cost (Argon2id, ~37 ms): that is the floor start-up validation allows.
        builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(hasher => hasher.IterationCount = 1_000));

        builder.ConfigureTestServices(services => services.PostConfigure<BootstrapOptions>(bootstrap => bootstrap.Clients.AddRange(Clients)));

        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }

        if (ConfigureServices is not null)
        {
            builder.ConfigureTestServices(ConfigureServices);
        }

        // Settings read before the host is built must be given this way.
        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// How many mails to <paramref name="address"/> the provider has queued. A request writes its mails to
    /// the outbox before it answers, so "nothing was sent" is known at once, without waiting for SMTP.
    /// </summary>
    public async Task<int> QueuedMailsToAsync(string address)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>().OutboxMessages
            .CountAsync(message => message.To == address);
    }

    /// <summary>A new list of the clients every test provider has, one per kind of app.</summary>
    public static List<ClientDefinition> StandardClients() =>
    [
        new()
        {
            ClientId = ConfidentialClient, ClientSecret = ConfidentialSecret, Introspection = true,
            Grants = ["password", "refresh_token"], Scopes = ["api", "email", "profile", "roles"],
        },
        new() { ClientId = ServiceClient, ClientSecret = ServiceSecret, Grants = ["client_credentials"], Scopes = ["api"] },
        new()
        {
            ClientId = PublicClient, Type = ClientKind.Public, Grants = ["authorization_code", "refresh_token"],
            RedirectUris = [new Uri(PublicRedirectUri)], Scopes = ["profile"],
        },
        new()
        {
            ClientId = CompanyClient, ClientSecret = CompanySecret, DisplayName = "Company App", Consent = ConsentMode.Implicit,
            Grants = ["authorization_code", "refresh_token"], Scopes = ["profile", "email", "roles", "api"],
            RedirectUris = [new Uri(CompanyRedirectUri)], PostLogoutRedirectUris = [new Uri(CompanyPostLogoutUri)],
        },
        new()
        {
            ClientId = PartnerClient, ClientSecret = PartnerSecret, DisplayName = "Partner <App>", Grants = ["authorization_code"],
            Scopes = ["profile", "email"], RedirectUris = [new Uri(PartnerRedirectUri)],
        },
        new()
        {
            ClientId = NativeClient, Type = ClientKind.Public, Application = ApplicationKind.Native, Consent = ConsentMode.Implicit,
            Grants = ["authorization_code"], RedirectUris = [new Uri(NativeRedirectUri)],
        },
    ];

    public TokenClient CreateTokenClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://idp.test/") }));
}
