using System.Net;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task NewInstance_WithChangedBootstrap_UpdatesTheClientInPlace()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var before = new ProviderFactory(connectionString))
        {
            _ = before.Server;
        }

        var clients = ProviderFactory.StandardClients();
        clients.Single(client => client.ClientId == ProviderFactory.ConfidentialClient).ClientSecret = "rotated-secret-value";
        await using var after = new ProviderFactory(connectionString) { Clients = clients };
        using var client = after.CreateTokenClient();
        var form = new Dictionary<string, string?>
        {
            ["grant_type"] = "password",
            ["username"] = ProviderFactory.UserEmail,
            ["password"] = ProviderFactory.UserPassword,
            ["client_id"] = ProviderFactory.ConfidentialClient,
            ["client_secret"] = ProviderFactory.ConfidentialSecret,
        };

        var withOldSecret = await client.PostAsync("connect/token", form);
        form["client_secret"] = "rotated-secret-value";
        var withNewSecret = await client.PostAsync("connect/token", form);

        Assert.Equal("invalid_client", withOldSecret.Error);
        Assert.Equal(HttpStatusCode.OK, withNewSecret.Status);
    }

    [Fact]
    public async Task NewInstance_OnSameDatabase_ReadsDataProtectedByThePreviousOne()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        string protectedPayload;
        await using (var before = new ProviderFactory(connectionString))
        {
            protectedPayload = before.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("cookie payload");
        }

        await using var after = new ProviderFactory(connectionString);

        Assert.Equal("cookie payload", after.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedPayload));
    }
}
