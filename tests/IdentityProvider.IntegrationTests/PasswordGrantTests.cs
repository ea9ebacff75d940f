using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace IdentityProvider.IntegrationTests;

public sealed class PasswordGrantTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Password_WithValidCredentials_ReturnsSignedJwtAccessTokenVerifiableFromJwks()
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.Get("id_token"));
        Assert.NotNull(response.Get("refresh_token"));
        var token = response.ReadAccessToken();
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("https://idp.test/", token.Issuer);
        Assert.Contains("orders-api", token.Audiences);
        Assert.Equal(ProviderFactory.ConfidentialClient, token.GetClaim("client_id").Value);
        Assert.Contains("api", token.GetClaim("scope").Value.Split(' '));
        Assert.Equal(ProviderFactory.UserEmail, token.GetClaim("email").Value);
        Assert.Equal("Alice", token.GetClaim("name").Value);
        Assert.Equal("admin", token.GetClaim("role").Value);
        Assert.True(token.TryGetClaim("jti", out _));
        Assert.True(token.ValidTo > token.IssuedAt);
        Assert.DoesNotContain(token.Claims, c => c.Type.Contains("stamp", StringComparison.OrdinalIgnoreCase) || c.Type.StartsWith("idp_", StringComparison.Ordinal));

        var jwks = new JsonWebKeySet(await client.Http.GetStringAsync(".well-known/jwks"));
        var validation = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(response.AccessToken,
            new TokenValidationParameters
            {
                ValidIssuer = "https://idp.test/",
                ValidAudience = "orders-api",
                IssuerSigningKeys = jwks.GetSigningKeys(),
                ValidTypes = ["at+jwt"],
            });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task Password_WithoutEmailProfileOrRolesScope_LeavesThoseClaimsOut()
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword, scope: "api");

        var token = response.ReadAccessToken();
        Assert.False(token.TryGetClaim("email", out _));
        Assert.False(token.TryGetClaim("name", out _));
        Assert.False(token.TryGetClaim("role", out _));
        Assert.Null(response.Get("refresh_token"));
        Assert.Null(response.Get("id_token"));
    }

    [Theory]
    [InlineData(ProviderFactory.UserEmail, "wrong password entirely")]
    [InlineData("nobody@example.com", ProviderFactory.UserPassword)]
    [InlineData(ProviderFactory.UnconfirmedEmail, ProviderFactory.UserPassword)]
    public async Task Password_WithBadCredentials_AllAnswerTheSameInvalidGrant(string username, string password)
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PasswordAsync(username, password);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_grant", response.Error);
        Assert.Equal("The email address or password is invalid.", response.Get("error_description"));
    }

    [Fact]
    public async Task Password_AfterFiveFailures_LocksTheAccountEvenForTheRightPassword()
    {
        await using var provider = new ProviderFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Bootstrap:Users:2:Email"] = "lockme@example.com",
            ["Bootstrap:Users:2:Password"] = ProviderFactory.UserPassword,
        });
        using var client = provider.CreateTokenClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("invalid_grant", (await client.PasswordAsync("lockme@example.com", "not the password " + i)).Error);
        }

        var response = await client.PasswordAsync("lockme@example.com", ProviderFactory.UserPassword);

        Assert.Equal("invalid_grant", response.Error);
        Assert.Equal("The email address or password is invalid.", response.Get("error_description"));
    }

    [Fact]
    public async Task Password_FromClientWithoutPasswordPermission_IsUnauthorizedClient()
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "password",
            ["username"] = ProviderFactory.UserEmail,
            ["password"] = ProviderFactory.UserPassword,
            ["client_id"] = ProviderFactory.ServiceClient,
            ["client_secret"] = ProviderFactory.ServiceSecret,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("unauthorized_client", response.Error);
    }

    [Theory]
    [InlineData(ProviderFactory.ConfidentialClient, "wrong-secret")]
    [InlineData("no-such-client", "whatever")]
    public async Task Password_WithUnknownClientOrWrongSecret_IsInvalidClient(string clientId, string secret)
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "password",
            ["username"] = ProviderFactory.UserEmail,
            ["password"] = ProviderFactory.UserPassword,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }
}
