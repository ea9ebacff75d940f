using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class CommandLineTests
{
    private static async Task<Dictionary<string, string?>> EnvironmentAsync() => new()
    {
        ["ConnectionStrings__Postgres"] = await PostgresServer.CreateDatabaseAsync(TestDatabase.Empty),
        ["Keys__StoreGeneratedKeys"] = "true",
        ["Idp__Issuer"] = "https://idp.test/",
    };

    [Theory]
    [InlineData("bogus")]
    [InlineData("users", "frobnicate")]
    [InlineData("clients", "add")]
    [InlineData("clients", "add", "x", "--redirect-uri", "not a uri")]
    public async Task WrongArguments_PrintUsageAndExitNonZero(params string[] args)
    {
        var result = await ProviderProcess.RunAsync(new Dictionary<string, string?>(), args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Usage:", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_MigrateAddClientAndUser_ThenTheServerIssuesTokensForThem()
    {
        var environment = await EnvironmentAsync();

        var migrate = await CommandLine.RunAsync(environment, "migrate");
        var addClient = await CommandLine.RunAsync(environment, "clients", "add", "cli-app", "--secret", "cli-secret-value", "--grant", "password", "--grant", "refresh_token", "--scope", "roles");
        var addUser = await CommandLine.RunAsync(environment, "users", "add", "bob@example.com", "--password", "bobs long password", "--role", "auditor");
        var addSpa = await CommandLine.RunAsync(environment, "clients", "add", "cli-spa", "--type", "public", "--consent", "implicit", "--grant", "authorization_code",
            "--redirect-uri", "https://spa.example/callback", "--post-logout-redirect-uri", "https://spa.example/bye", "--access-token-lifetime", "00:05:00");
        var publicWithoutPkce = await CommandLine.RunAsync(environment, "clients", "add", "cli-bad", "--type", "public", "--grant", "authorization_code",
            "--redirect-uri", "https://spa.example/callback", "--no-pkce");
        var listUsers = await CommandLine.RunAsync(environment, "users", "list");
        var listClients = await CommandLine.RunAsync(environment, "clients", "list");

        Assert.True(migrate.ExitCode == 0, migrate.Error);
        Assert.True(addClient.ExitCode == 0, addClient.Error);
        Assert.True(addUser.ExitCode == 0, addUser.Error);
        Assert.Contains("bob@example.com", listUsers.Output, StringComparison.Ordinal);
        Assert.Contains("auditor", listUsers.Output, StringComparison.Ordinal);
        Assert.Contains("cli-app", listClients.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-secret-value", listClients.Output, StringComparison.Ordinal);
        Assert.True(addSpa.ExitCode == 0, addSpa.Error);
        Assert.NotEqual(0, publicWithoutPkce.ExitCode);
        Assert.Contains("must use PKCE", publicWithoutPkce.Error, StringComparison.Ordinal);

        await using var provider = new ProviderFactory(environment["ConnectionStrings__Postgres"]);
        using var client = provider.CreateTokenClient();
        var response = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "password",
            ["username"] = "bob@example.com",
            ["password"] = "bobs long password",
            ["scope"] = "roles",
            ["client_id"] = "cli-app",
            ["client_secret"] = "cli-secret-value",
        });
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("auditor", response.ReadAccessToken().GetClaim("role").Value);

        using var scope = provider.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var spa = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(spa, (await applications.FindByClientIdAsync("cli-spa"))!);
        Assert.Equal(OpenIddictConstants.ConsentTypes.Implicit, spa.ConsentType);
        Assert.Equal([new Uri("https://spa.example/bye")], spa.PostLogoutRedirectUris);
        Assert.Equal("00:05:00", spa.Settings[OpenIddictConstants.Settings.TokenLifetimes.AccessToken]);
        Assert.Contains(OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange, spa.Requirements);
    }

    [Fact]
    public async Task ClientsAdd_Introspection_OnlyForAConfidentialClientThatAsks()
    {
        var environment = await EnvironmentAsync();
        await CommandLine.RunAsync(environment, "migrate");

        var resourceServer = await CommandLine.RunAsync(environment, "clients", "add", "cli-api", "--secret", "cli-api-secret-value", "--introspection");
        var service = await CommandLine.RunAsync(environment, "clients", "add", "cli-service", "--secret", "cli-service-secret-value", "--grant", "client_credentials");
        var publicClient = await CommandLine.RunAsync(environment, "clients", "add", "cli-spa", "--type", "public", "--introspection");
        var list = await CommandLine.RunAsync(environment, "clients", "list");
        string Listed(string clientId) => list.Output.Split('\n').Single(line => line.StartsWith(clientId + "\t", StringComparison.Ordinal));

        Assert.True(resourceServer.ExitCode == 0, resourceServer.Error);
        Assert.True(service.ExitCode == 0, service.Error);
        Assert.NotEqual(0, publicClient.ExitCode);
        Assert.Contains("a public client cannot use introspection", publicClient.Error, StringComparison.Ordinal);
        Assert.Contains(OpenIddictConstants.Permissions.Endpoints.Introspection, Listed("cli-api"), StringComparison.Ordinal);
        Assert.DoesNotContain(OpenIddictConstants.Permissions.Endpoints.Introspection, Listed("cli-service"), StringComparison.Ordinal);
        Assert.DoesNotContain("cli-spa", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetPassword_WithTooShortPassword_FailsWithPolicyMessage()
    {
        var environment = await EnvironmentAsync();
        await CommandLine.RunAsync(environment, "migrate");
        await CommandLine.RunAsync(environment, "users", "add", "carol@example.com", "--password", "carols long password");

        var result = await CommandLine.RunAsync(environment, "users", "set-password", "carol@example.com", "short");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("12", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysShow_ListsTheStoredSigningKey()
    {
        var environment = await EnvironmentAsync();
        await CommandLine.RunAsync(environment, "migrate");
        await using (var provider = new ProviderFactory(environment["ConnectionStrings__Postgres"]))
        {
            _ = provider.Server;
        }

        var result = await CommandLine.RunAsync(environment, "keys", "show");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("signing", result.Output, StringComparison.Ordinal);
        Assert.Contains("RS256", result.Output, StringComparison.Ordinal);
    }
}
