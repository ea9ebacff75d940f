using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Idp__Issuer", "", "Idp:Issuer")]
    [InlineData("Idp__AccessTokenLifetime", "00:00:01", "AccessTokenLifetime")]
    [InlineData("Keys__Signing__0__Path", "/nonexistent/signing.pfx", "Keys:Signing:0:Path")]
    [InlineData("Keys__KeyRingProtection__0__Path", "/nonexistent/key-ring.pfx", "Keys:KeyRingProtection:0:Path")]
    [InlineData("Keys__KeyRingProtection__0__Path", null, "Keys:KeyRingProtection is not set")]
    [InlineData("Bootstrap__Clients__0__ClientId", "no-secret-client", "Bootstrap:Clients:0")]
    [InlineData("Bootstrap__Users__0__Email", "not-an-email", "Bootstrap:Users:0:Email")]
    [InlineData("Bootstrap__Clients__0__ClientSecret", "dev-secret", "Bootstrap:Clients:0:ClientSecret is the published sample value")]
    [InlineData("Bootstrap__Users__0__Password", "correct horse battery", "Bootstrap:Users:0:Password is the published sample value")]
    public async Task InvalidConfiguration_StopsStartUpNamingTheKey(string key, string? value, string expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = await PostgresServer.CreateDatabaseAsync(),
            ["Keys__StoreGeneratedKeys"] = "true",
            ["Idp__Issuer"] = "https://idp.test/",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        environment[key] = value;

        var result = await ProviderProcess.RunAsync(environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyEmbeddedPath_WithoutPostgres_StopsStartUpNamingTheKey()
    {
        var result = await ProviderProcess.RunAsync(new Dictionary<string, string?>
        {
            ["Database__EmbeddedPath"] = " ",
            ["Keys__StoreGeneratedKeys"] = "true",
        });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Database:EmbeddedPath", result.Error + result.Output, StringComparison.Ordinal);
    }
}
