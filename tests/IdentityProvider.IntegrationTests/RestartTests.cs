using System.Net;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class RestartTests
{
    [Fact]
    public async Task NewInstance_OnSameDatabase_KeepsKeysAndAcceptsEarlierRefreshToken()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        string refreshToken, kid;
        await using (var before = new ProviderFactory(connectionString))
        {
            using var client = before.CreateTokenClient();
            var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
            refreshToken = tokens.RefreshToken;
            kid = tokens.ReadAccessToken().Kid;
        }

        await using var after = new ProviderFactory(connectionString);
        using var afterClient = after.CreateTokenClient();
        var refreshed = await afterClient.RefreshAsync(refreshToken);
        using var jwks = JsonDocument.Parse(await afterClient.Http.GetStringAsync(".well-known/jwks"));

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(kid, refreshed.ReadAccessToken().Kid);
        Assert.Contains(jwks.RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
    }
}
