using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests;

public sealed class EmbeddedStoreTests
{
    [Fact]
    public async Task WithoutPostgres_UsesEmbeddedSqliteFileAndIssuesTokens()
    {
        var folder = Directory.CreateTempSubdirectory("idp-embedded-");
        var path = Path.Combine(folder.FullName, "store.db");
        try
        {
            await using var provider = new ProviderFactory(connectionString: null, new Dictionary<string, string?> { ["Database:EmbeddedPath"] = path });
            using var client = provider.CreateTokenClient();

            var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
            var refreshed = await client.RefreshAsync(tokens.RefreshToken);

            Assert.Equal(HttpStatusCode.OK, refreshed.Status);
            Assert.True(provider.Services.GetRequiredService<DatabaseStore>().IsEmbedded);
            Assert.True(File.Exists(path));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
