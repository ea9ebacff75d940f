using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class ClientCredentialsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task ClientCredentials_ForPermittedClient_IssuesTokenForTheClientItself()
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "api",
            ["client_id"] = ProviderFactory.ServiceClient,
            ["client_secret"] = ProviderFactory.ServiceSecret,
        });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var token = response.ReadAccessToken();
        Assert.Equal(ProviderFactory.ServiceClient, token.Subject);
        Assert.Contains("orders-api", token.Audiences);
        Assert.Null(response.Get("refresh_token"));
    }

    [Fact]
    public async Task ClientCredentials_ForClientWithoutThatGrant_IsUnauthorizedClient()
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ProviderFactory.ConfidentialClient,
            ["client_secret"] = ProviderFactory.ConfidentialSecret,
        });

        Assert.Equal("unauthorized_client", response.Error);
    }
}
