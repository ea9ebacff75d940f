using System.Net;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Observability;

/// <summary>The provider's console as a log collector reads it with <c>Logging:Console:FormatterName=json</c>.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task JsonConsoleLogs_CarryTheRequestsTraceId_AndNoSecretOrToken()
    {
        var (_, environment) = await RunningProvider.SeededDatabaseAsync(new Dictionary<string, string?>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
            // OpenIddict describes every request it handles at Information, ASP.NET Core every request's start and end:
            // the lines most likely to hold a secret. (appsettings.json keeps both at Warning.)
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__OpenIddict"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
        });
        await using var provider = await RunningProvider.StartAsync(environment);
        using var client = new TokenClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{provider.Port}/") });

        var issued = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var refreshed = await client.RefreshAsync(issued.RefreshToken);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (issued.Status, refreshed.Status));
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var lines = provider.Console.ToList();
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var tokenRequestEntries = entries.Where(entry =>
            entry.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray().Any(scope =>
                scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("RequestPath", out var path) && path.GetString() == "/connect/token")).ToList();
        Assert.NotEmpty(tokenRequestEntries);
        Assert.All(tokenRequestEntries, entry => Assert.Contains(entry.GetProperty("Scopes").EnumerateArray(), scope =>
            scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var traceId) && traceId.GetString()!.Length == 32));
        var everything = string.Join('\n', lines);
        foreach (var secret in (string[])[ProviderFactory.UserPassword, ProviderFactory.ConfidentialSecret, issued.RefreshToken, issued.AccessToken, refreshed.RefreshToken, refreshed.AccessToken])
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
