using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests;

public sealed class StartupValidationTests
{
    /// <summary>
    /// The provider's own start-up checks, run in this process (a new process per case cost two seconds of CPU
    /// each); the last test runs the executable to show that a failed check stops it with the message.
    /// </summary>
    [Theory]
    [InlineData("Idp:Issuer", "", "Idp:Issuer")]
    [InlineData("Idp:AccessTokenLifetime", "00:00:01", "AccessTokenLifetime")]
    [InlineData("Keys:Signing:0:Path", "/nonexistent/signing.pfx", "Keys:Signing:0:Path")]
    [InlineData(TestKeyRing.Setting, "/nonexistent/key-ring.pfx", "Keys:KeyRingProtection:0:Path")]
    [InlineData(TestKeyRing.Setting, null, "Keys:KeyRingProtection is not set")]
    [InlineData("Bootstrap:Clients:0:ClientId", "no-secret-client", "Bootstrap:Clients:0")]
    [InlineData("Bootstrap:Users:0:Email", "not-an-email", "Bootstrap:Users:0:Email")]
    [InlineData("Bootstrap:Clients:0:ClientSecret", "dev-secret", "Bootstrap:Clients:0:ClientSecret is the published sample value")]
    [InlineData("Bootstrap:Users:0:Password", "correct horse battery", "Bootstrap:Users:0:Password is the published sample value")]
    [InlineData("PasswordHashing:Iterations", "1", "PasswordHashing: MemoryKiB=19456 with Iterations=1 is weaker than every Argon2id setting OWASP recommends")]
    [InlineData("Observability:MetricsHost", "0.0.0.0", "for every interface use *, not 0.0.0.0")]
    [InlineData("PasswordHashing:MemoryKiB", "1024", "The field MemoryKiB must be between 7168 and 1048576.")]
    public async Task InvalidConfiguration_StopsStartUpNamingTheKey(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            // Never opened: the checks run before the database is touched.
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=never-opened",
            ["Keys:StoreGeneratedKeys"] = "true",
            ["Idp:Issuer"] = "https://idp.test/",
            [TestKeyRing.Setting] = TestKeyRing.Path,
        };
        settings[key] = value;

        var problems = await StartUpProblemsAsync(settings);

        Assert.Contains(expected, problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidConfiguration_PassesTheStartUpChecks() =>
        Assert.Equal("", await StartUpProblemsAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=never-opened",
            ["Keys:StoreGeneratedKeys"] = "true",
            ["Idp:Issuer"] = "https://idp.test/",
            [TestKeyRing.Setting] = TestKeyRing.Path,
        }));

    /// <summary>What the provider's start-up checks say about these settings in Production; empty when they pass.</summary>
    private static async Task<string> StartUpProblemsAsync(Dictionary<string, string?> settings)
    {
        string[] args = ["--environment=Production", .. settings.Where(setting => setting.Value is not null).Select(setting => $"--{setting.Key}={setting.Value}")];
        try
        {
            await using var app = Program.BuildApp(args);
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
            return "";
        }
        catch (Exception exception) when (exception is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
        {
            return exception.Message;
        }
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
