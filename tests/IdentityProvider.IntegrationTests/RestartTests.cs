using System.Net;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewInstance_WithChangedBootstrap_UpdatesTheClientInPlace_ButItsSecretOnlyWhenToldTo(bool resetExisting)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var before = new ProviderFactory(connectionString))
        {
            _ = before.Server;
        }

        var clients = ProviderFactory.StandardClients();
        var changed = clients.Single(client => client.ClientId == ProviderFactory.ConfidentialClient);
        changed.ClientSecret = "rotated-secret-value";
        changed.Scopes.Remove("email");
        var settings = new Dictionary<string, string?> { ["Bootstrap:ResetExisting"] = resetExisting ? "true" : "false" };
        await using var after = new ProviderFactory(connectionString, settings) { Clients = clients };
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
        var (working, refused) = resetExisting ? (withNewSecret, withOldSecret) : (withOldSecret, withNewSecret);
        form["client_secret"] = resetExisting ? "rotated-secret-value" : ProviderFactory.ConfidentialSecret;
        form["scope"] = "email";
        var removedScope = await client.PostAsync("connect/token", form);

        Assert.Equal("invalid_client", refused.Error);
        Assert.Equal(HttpStatusCode.OK, working.Status);
        Assert.Equal("invalid_scope", removedScope.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewInstance_KeepsAPasswordAndRolesChangedSinceTheBootstrapCreatedTheUser_UnlessToldToReset(bool resetExisting)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var before = new ProviderFactory(connectionString))
        {
            await using var scope = before.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var alice = (await users.FindByEmailAsync(ProviderFactory.UserEmail))!;
            Assert.True((await users.RemovePasswordAsync(alice)).Succeeded);
            Assert.True((await users.AddPasswordAsync(alice, "a password set after a leak")).Succeeded);
            Assert.True((await users.RemoveFromRoleAsync(alice, "admin")).Succeeded);
        }

        var settings = new Dictionary<string, string?> { ["Bootstrap:ResetExisting"] = resetExisting ? "true" : "false" };
        await using var after = new ProviderFactory(connectionString, settings);
        using var client = after.CreateTokenClient();
        var withConfigured = await client.PostAsync("connect/token", new Dictionary<string, string?>
        {
            ["grant_type"] = "password",
            ["username"] = ProviderFactory.UserEmail,
            ["password"] = ProviderFactory.UserPassword,
            ["client_id"] = ProviderFactory.ConfidentialClient,
            ["client_secret"] = ProviderFactory.ConfidentialSecret,
            ["scope"] = "roles",
        });

        Assert.Equal(resetExisting ? HttpStatusCode.OK : HttpStatusCode.BadRequest, withConfigured.Status);
        if (resetExisting)
        {
            Assert.Contains("admin", withConfigured.ReadAccessToken().Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value));
        }
        else
        {
            Assert.Equal("invalid_grant", withConfigured.Error);
        }
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
