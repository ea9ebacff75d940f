using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenIddict.Server;

namespace IdentityProvider.IntegrationTests;

public sealed class SigningKeyTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("idp-keys-");

    [Fact]
    public async Task CertificateFiles_PfxAndPem_AreUsedAndEveryConfiguredSigningKeyIsPublished()
    {
        var current = WriteCertificate("current", TimeSpan.FromDays(365), pem: false);
        var previous = WriteCertificate("previous", TimeSpan.FromDays(30), pem: true);
        var encryption = WriteCertificate("encryption", TimeSpan.FromDays(365), pem: false);
        var settings = new Dictionary<string, string?>
        {
            ["Keys:StoreGeneratedKeys"] = "false",
            ["Keys:Signing:0:Path"] = current.Path,
            ["Keys:Signing:0:Password"] = current.Password,
            ["Keys:Signing:1:Path"] = previous.Path,
            ["Keys:Signing:1:KeyPath"] = previous.KeyPath,
            ["Keys:Encryption:0:Path"] = encryption.Path,
            ["Keys:Encryption:0:Password"] = encryption.Password,
        };
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), settings);
        using var client = provider.CreateTokenClient();

        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken);
        var kids = await PublishedKidsAsync(client);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(2, kids.Count);
        // The certificate that expires last signs; X509 keys are identified by their thumbprint.
        Assert.Equal(current.Thumbprint, tokens.ReadAccessToken().Kid, ignoreCase: true);
        Assert.Contains(previous.Thumbprint, kids, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StoredKeys_AfterRotation_NewKeySignsAndPreviousStaysPublished()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        string oldKid;
        await using (var before = new ProviderFactory(connectionString))
        {
            using var client = before.CreateTokenClient();
            oldKid = (await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword)).ReadAccessToken().Kid;
        }

        var rotate = await CommandLine.RunAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Keys__StoreGeneratedKeys"] = "true",
            ["Idp__Issuer"] = "https://idp.test/",
        }, "keys", "rotate", "--overlap", "01:00:00");

        await using var after = new ProviderFactory(connectionString);
        using var afterClient = after.CreateTokenClient();
        var newKid = (await afterClient.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword)).ReadAccessToken().Kid;
        var kids = await PublishedKidsAsync(afterClient);

        Assert.True(rotate.ExitCode == 0, rotate.Error);
        Assert.NotEqual(oldKid, newKid);
        Assert.Contains(oldKid, kids);
        Assert.Contains(newKid, kids);
    }

    [Fact]
    public async Task TokensForClientsAndApis_AreSignedWithAPublishedKey_AndRefreshTokensUseTheProvidersOwnSymmetricKey()
    {
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync());
        using var client = provider.CreateTokenClient();

        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var refreshToken = new JsonWebToken(tokens.RefreshToken);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken);
        var kids = await PublishedKidsAsync(client);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("RS256", tokens.ReadAccessToken().Alg);
        Assert.Contains(tokens.ReadAccessToken().Kid, kids);
        Assert.Equal("RS256", tokens.ReadIdentityToken().Alg);
        Assert.Contains(tokens.ReadIdentityToken().Kid, kids);
        Assert.True(refreshToken.IsEncrypted);
        Assert.Equal("A256KW", refreshToken.Alg);
        Assert.DoesNotContain(refreshToken.Kid, kids);
    }

    [Fact]
    public async Task RefreshToken_IssuedBeforeTheSymmetricKeys_StillRotatesAfterTheUpgrade()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        string refreshToken;
        // A provider as it was before the symmetric keys: RSA signs and encrypts everything.
        await using (var before = new ProviderFactory(database)
        {
            ConfigureServices = services => services.PostConfigure<OpenIddictServerOptions>(server =>
            {
                server.SigningCredentials.RemoveAll(credentials => credentials.Key is SymmetricSecurityKey);
                server.EncryptionCredentials.RemoveAll(credentials => credentials.Key is SymmetricSecurityKey);
            }),
        })
        {
            using var client = before.CreateTokenClient();
            refreshToken = (await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword)).RefreshToken;
        }

        await using var after = new ProviderFactory(database);
        using var afterClient = after.CreateTokenClient();
        var refreshed = await afterClient.RefreshAsync(refreshToken);

        Assert.Equal("RSA-OAEP", new JsonWebToken(refreshToken).Alg);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("A256KW", new JsonWebToken(refreshed.RefreshToken).Alg);
    }

    [Fact]
    public async Task TwoInstances_StartingAtOnceOnADatabaseWithoutKeys_ShareOneKeyOfEachUse()
    {
        var database = await PostgresServer.CreateDatabaseAsync(TestDatabase.Migrated);
        string[] args = ["--environment=Testing", $"--ConnectionStrings:Postgres={database}", "--Idp:Issuer=https://idp.test/", "--Keys:StoreGeneratedKeys=true", $"--{TestKeyRing.Setting}={TestKeyRing.Path}"];
        await using var first = Program.BuildApp(args);
        await using var second = Program.BuildApp(args);
        // The worst moment: both instances have found no keys and made their own before either stores them.
        // Holding the key ring's lock until both wait for it puts them there every time.
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var holding = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('IdentityProvider.Keys.KeyRing'))", holder, holding))
        {
            await take.ExecuteNonQueryAsync();
        }

        var starts = Task.WhenAll(Task.Run(first.PrepareKeysAsync), Task.Run(second.PrepareKeysAsync));
        // From a connection of its own: inside a transaction pg_stat_activity keeps showing its first snapshot.
        await using var observer = new NpgsqlConnection(database);
        await observer.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'", observer);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await waiting.ExecuteScalarAsync())! < 2)
        {
            Assert.False(starts.IsCompleted, "An instance stored its keys without waiting for the key ring's lock.");
            Assert.True(DateTime.UtcNow < deadline, "The two instances did not both wait for the key ring's lock within 30 s.");
            await Task.Delay(10);
        }

        await holding.CommitAsync();
        await starts;
        using var scope = first.Services.CreateScope();
        var uses = scope.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>().StoredKeys.Select(key => key.Use).ToList();

        Assert.Equal(["enc", "int-enc", "int-sig", "sig"], uses.Order());
    }

    [Fact]
    public async Task KeyRingCertificate_EncryptsTheDataProtectionKeys_AndARestartStillReadsThem()
    {
        var ring = WriteCertificate("key-ring", TimeSpan.FromDays(365), pem: false);
        // Without stored keys: the provider must write its Data Protection key ring under the certificate.
        var database = await PostgresServer.CreateDatabaseAsync(TestDatabase.Migrated);
        var settings = new Dictionary<string, string?> { ["Keys:KeyRingProtection:0:Path"] = ring.Path, ["Keys:KeyRingProtection:0:Password"] = ring.Password };
        string refreshToken;
        await using (var first = new ProviderFactory(database, settings))
        {
            using var client = first.CreateTokenClient();
            refreshToken = (await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword)).RefreshToken;
        }

        // The stored signing and encryption keys are protected by the key ring, so the restart has to decrypt it.
        await using var restarted = new ProviderFactory(database, settings);
        using var again = restarted.CreateTokenClient();
        var refreshed = await again.RefreshAsync(refreshToken);
        using var scope = restarted.Services.CreateScope();
        var keyRing = scope.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>().DataProtectionKeys.Select(key => key.Xml ?? "").ToList();

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.NotEmpty(keyRing);
        Assert.All(keyRing, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }

    private static async Task<List<string>> PublishedKidsAsync(TokenClient client)
    {
        using var jwks = JsonDocument.Parse(await client.Http.GetStringAsync(".well-known/jwks"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString() ?? "")];
    }

    private (string Path, string? KeyPath, string? Password, string Thumbprint) WriteCertificate(string name, TimeSpan validity, bool pem)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow + validity);
        if (pem)
        {
            var path = Path.Combine(_folder.FullName, name + ".crt");
            var keyPath = Path.Combine(_folder.FullName, name + ".key");
            File.WriteAllText(path, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            return (path, keyPath, null, certificate.Thumbprint);
        }

        var pfx = Path.Combine(_folder.FullName, name + ".pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
        return (pfx, null, "pfx-password", certificate.Thumbprint);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
