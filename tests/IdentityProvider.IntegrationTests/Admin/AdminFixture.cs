using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Admin;

/// <summary>A provider for the admin console tests: small pages, and a clock the tests can move.</summary>
public sealed class AdminFixture : IAsyncLifetime
{
    public ShiftedClock Clock { get; } = new();

    public ProviderFactory Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = await MailingProviderFixture.MailSettingsAsync();
        settings["Admin:PageSize"] = "10";
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), settings, Clock);
        _ = Provider.Server;
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();

    /// <summary>The id of a user, read from the admin's user list.</summary>
    public static async Task<string> IdOfAsync(FormClient admin, string email)
    {
        var (_, list) = await admin.GetAsync("Admin/Users?q=" + Uri.EscapeDataString(email));
        return System.Text.RegularExpressions.Regex.Match(list, $"Details\\?id=([^\"&]+)\">{System.Text.RegularExpressions.Regex.Escape(email)}<") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"{email} is not listed.");
    }

    /// <summary>Presses one of the buttons on a user's admin page.</summary>
    public static Task<HttpResponseMessage> ActAsync(FormClient admin, string id, string handler, Dictionary<string, string>? fields = null) =>
        admin.SubmitAsync($"Admin/Users/Details?id={id}", fields ?? [], handler: handler);

    /// <summary>A browser signed in as the seeded admin (alice).</summary>
    public async Task<FormClient> AdminAsync()
    {
        var browser = new FormClient(Provider);
        await TestAccounts.SignInAsync(browser);
        return browser;
    }
}
