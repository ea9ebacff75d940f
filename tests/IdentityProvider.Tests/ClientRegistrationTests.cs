using IdentityProvider.Clients;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Tests;

public sealed class ClientRegistrationTests
{
    [Fact]
    public void ToDescriptor_ForConfidentialPasswordClient_GrantsOnlyWhatIsListed()
    {
        var descriptor = ClientRegistration.ToDescriptor(new ClientDefinition
        {
            ClientId = "app",
            ClientSecret = "secret",
            Grants = ["password", "refresh_token"],
            Scopes = ["api"],
        });

        Assert.Equal(ClientTypes.Confidential, descriptor.ClientType);
        Assert.Contains(Permissions.GrantTypes.Password, descriptor.Permissions);
        Assert.Contains(Permissions.GrantTypes.RefreshToken, descriptor.Permissions);
        Assert.DoesNotContain(Permissions.GrantTypes.ClientCredentials, descriptor.Permissions);
        Assert.Contains(Permissions.Prefixes.Scope + "api", descriptor.Permissions);
        Assert.DoesNotContain(Permissions.Endpoints.Authorization, descriptor.Permissions);
    }

    [Fact]
    public void ToDescriptor_ForCodeFlowClient_RequiresPkce()
    {
        var descriptor = ClientRegistration.ToDescriptor(new ClientDefinition
        {
            ClientId = "spa",
            Type = ClientKind.Public,
            Grants = ["authorization_code"],
            RedirectUris = [new Uri("https://spa.example/callback")],
        });

        Assert.Contains(Requirements.Features.ProofKeyForCodeExchange, descriptor.Requirements);
        Assert.Contains(new Uri("https://spa.example/callback"), descriptor.RedirectUris);
    }

    [Fact]
    public void ToDescriptor_ConfidentialClientWithoutPkce_HasNoPkceRequirement()
    {
        var descriptor = ClientRegistration.ToDescriptor(new ClientDefinition
        {
            ClientId = "legacy-web",
            ClientSecret = "secret",
            Grants = ["authorization_code"],
            RequirePkce = false,
            RedirectUris = [new Uri("https://legacy.example/callback")],
        });

        Assert.DoesNotContain(Requirements.Features.ProofKeyForCodeExchange, descriptor.Requirements);
    }

    [Theory]
    [InlineData(ClientKind.Confidential, false, false)]
    [InlineData(ClientKind.Confidential, true, true)]
    [InlineData(ClientKind.Public, false, false)]
    public void ToDescriptor_IntrospectionPermission_OnlyWhenAsked(ClientKind type, bool introspection, bool permitted)
    {
        var descriptor = ClientRegistration.ToDescriptor(new ClientDefinition
        {
            ClientId = "api",
            ClientSecret = type == ClientKind.Confidential ? "secret" : null,
            Type = type,
            Introspection = introspection,
        });

        Assert.Equal(permitted, descriptor.Permissions.Contains(Permissions.Endpoints.Introspection));
    }

    [Theory]
    [InlineData("6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b")]
    [InlineData("6F1C2A9E3B4D4E5F8A7B9C0D1E2F3A4B")]
    public void Problems_ClientIdShapedLikeAUserId_IsRefused(string clientId)
    {
        var client = new ClientDefinition { ClientId = clientId, Type = ClientKind.Confidential, ClientSecret = "a-secret-long-enough-to-pass" };

        var problem = Assert.Single(ClientRules.Problems(client));

        Assert.Contains("may not be a GUID", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDescriptor_PublicClientWithIntrospection_IsRefused()
    {
        var client = new ClientDefinition { ClientId = "spa", Type = ClientKind.Public, Introspection = true };

        var problem = Assert.Single(ClientRules.Problems(client));

        Assert.Contains("public client cannot use introspection", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example/backchannel", true)]
    [InlineData("http://127.0.0.1:5005/backchannel", true)]
    [InlineData("http://app.example/backchannel", false)]
    [InlineData("https://app.example/backchannel#fragment", false)]
    public void ToDescriptor_BackchannelLogoutUri_MustBeHttpsOrLoopback(string uri, bool accepted)
    {
        var client = new ClientDefinition
        {
            ClientId = "web",
            ClientSecret = "secret",
            Grants = ["authorization_code"],
            BackchannelLogoutUri = new Uri(uri),
        };

        Assert.Equal(accepted, ClientRules.Problems(client).Count == 0);
        if (accepted)
        {
            Assert.Equal(uri, ClientRegistration.ToDescriptor(client).Settings[IdentityProvider.Connect.BackchannelLogout.UriSetting]);
        }
    }

    [Theory]
    [InlineData("https://app.example/callback", ApplicationKind.Web, true)]
    [InlineData("http://127.0.0.1:7000/callback", ApplicationKind.Web, true)]
    [InlineData("http://[::1]/callback", ApplicationKind.Native, true)]
    [InlineData("com.example.app:/oauth2redirect", ApplicationKind.Native, true)]
    [InlineData("com.example.app:/oauth2redirect", ApplicationKind.Web, false)]
    [InlineData("javascript:alert(document.cookie)", ApplicationKind.Native, false)]
    [InlineData("data:text/html,<script>alert(1)</script>", ApplicationKind.Native, false)]
    [InlineData("myapp:/callback", ApplicationKind.Native, false)]
    [InlineData("com..app:/callback", ApplicationKind.Native, false)]
    [InlineData("http://app.example/callback", ApplicationKind.Web, false)]
    [InlineData("https://app.example/callback#fragment", ApplicationKind.Web, false)]
    public void RedirectUris_MustBeHttpsLoopbackOrANativeAppsOwnScheme(string uri, ApplicationKind application, bool accepted) =>
        Assert.Equal(accepted, ClientRules.RedirectUriProblem(new Uri(uri), application) is null);

    [Theory]
    [InlineData("00:05:00", true)]
    [InlineData("00:00:30", false)]
    [InlineData("2.00:00:00", false)]
    public void ToDescriptor_AccessTokenLifetime_MustBeBetweenAMinuteAndADay(string lifetime, bool accepted)
    {
        var client = new ClientDefinition
        {
            ClientId = "svc",
            ClientSecret = "secret",
            Grants = ["client_credentials"],
            AccessTokenLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.Equal(accepted, ClientRules.Problems(client).Count == 0);
        if (accepted)
        {
            Assert.Equal(lifetime, ClientRegistration.ToDescriptor(client).Settings[Settings.TokenLifetimes.AccessToken]);
        }
    }

    [Fact]
    public void Problems_PublicClientWithoutPkce_IsOne() =>
        Assert.Contains("must use PKCE", Assert.Single(ClientRules.Problems(new ClientDefinition
        {
            ClientId = "spa",
            Type = ClientKind.Public,
            Grants = ["authorization_code"],
            RequirePkce = false,
        })), StringComparison.Ordinal);

    [Theory]
    [InlineData(ClientKind.Confidential, null, "password")]
    [InlineData(ClientKind.Public, "secret", "password")]
    [InlineData(ClientKind.Public, null, "client_credentials")]
    [InlineData(ClientKind.Confidential, "secret", "implicit")]
    public void Problems_OfAnInconsistentDefinition_NameTheClient(ClientKind type, string? secret, string grant)
    {
        var definition = new ClientDefinition { ClientId = "bad", Type = type, ClientSecret = secret, Grants = [grant] };

        var problems = ClientRules.Problems(definition);

        Assert.NotEmpty(problems);
        Assert.All(problems, problem => Assert.StartsWith("Client 'bad': ", problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_ListEveryBrokenRule_IncludingTheClientIdAndScopeNameRules()
    {
        var definition = new ClientDefinition
        {
            ClientId = "has space",
            Type = ClientKind.Public,
            ClientSecret = "secret",
            Scopes = ["api", "quote\"d"],
            RedirectUris = [new Uri("http://app.example/callback")],
        };

        var problems = ClientRules.Problems(definition);

        Assert.Equal(
        [
            "Client 'has space': A client id may only contain letters, digits and . _ ~ -",
            "Client 'has space': a public client cannot have a secret.",
            "Client 'has space': scope 'quote\"d': A scope name may not contain spaces, quotes or backslashes (RFC 6749 §3.3).",
            "Client 'has space': redirect URI 'http://app.example/callback' must use https (plain http only on a loopback address).",
        ], problems);
    }
}
