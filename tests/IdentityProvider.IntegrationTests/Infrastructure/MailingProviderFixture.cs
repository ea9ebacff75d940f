using System.Globalization;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>A provider on its own database that sends its mails to the real test SMTP server.</summary>
public sealed class MailingProviderFixture : IAsyncLifetime
{
    public ProviderFactory Provider { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), await MailSettingsAsync());

    /// <summary>Settings that send the provider's mails to the test SMTP server, polled often.</summary>
    public static async Task<Dictionary<string, string?>> MailSettingsAsync()
    {
        var (host, port) = await MailServer.SmtpAsync();
        return new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = host,
            ["Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:PollInterval"] = "00:00:00.200",
        };
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}
