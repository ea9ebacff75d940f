using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;

namespace IdentityProvider.IntegrationTests.Instances;

/// <summary>Two instances on one database: what one caches of clients is forgotten when the other changes a client.</summary>
public sealed class ChangeNotificationTests
{
    [Fact]
    public async Task ClientChangedOnOneInstance_IsSeenByTheOtherAtOnce_NotAfterItsCacheExpires()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var first = new ProviderFactory(database);
        await using var second = new ProviderFactory(database);
        _ = first.Services;
        _ = second.Services;
        // Both listening before anything is cached: a listener that connects late forgets everything on connecting,
        // which would pass this test without any notice.
        await WaitForListenersAsync(database, count: 2);
        var origin = $"https://spa-{Guid.NewGuid():N}.test";
        // The second instance now holds the browser apps' origins, for a minute.
        Assert.False(await AllowsAsync(second, origin));

        using (var scope = first.Services.CreateScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync(ProviderFactory.PublicClient) ?? throw new InvalidOperationException("No public client.");
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, application);
            descriptor.RedirectUris.Add(new Uri(origin + "/callback"));
            await applications.UpdateAsync(application, descriptor);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await AllowsAsync(second, origin))
        {
            Assert.True(DateTime.UtcNow < deadline, "The second instance still refused the new origin 10 s after the change.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static async Task WaitForListenersAsync(string database, int count)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var listeners = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN idp_changes'", connection);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((long)(await listeners.ExecuteScalarAsync())! < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} instances listen for changes.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static async Task<bool> AllowsAsync(ProviderFactory provider, string origin)
    {
        using var client = provider.CreateTokenClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "connect/token");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await client.Http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.NoContent && response.Headers.Contains("Access-Control-Allow-Origin");
    }
}
