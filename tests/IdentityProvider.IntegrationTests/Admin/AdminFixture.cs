using System.Globalization;
using System.Text.RegularExpressions;
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

    /// <summary>
    /// Reads every page of a console list whose count reads "N noun(s) · page 1 of M" and checks the paging:
    /// full pages of <c>Admin:PageSize</c> (10 here), the rest on the last, every row once, the added ones among them.
    /// </summary>
    public static async Task AssertPagedAsync(FormClient admin, string list, string noun, Regex linkedName, string addedPrefix, int added)
    {
        var (_, first) = await admin.GetAsync(list);
        var summary = Regex.Match(first, $@"(\d+) {noun}\(s\) · page 1 of (\d+)");
        Assert.True(summary.Success, $"{list} does not say how many {noun}s and pages it has.");
        var total = int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
        var pageCount = int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture);
        var pages = new List<List<string>>();
        for (var number = 1; number <= pageCount; number++)
        {
            var page = number == 1 ? first : (await admin.GetAsync($"{list}?p={number}")).Item2;
            pages.Add([.. linkedName.Matches(page).Select(match => match.Groups[1].Value)]);
        }

        var all = pages.SelectMany(page => page).ToList();
        Assert.Equal((total + 9) / 10, pageCount);
        Assert.All(pages.SkipLast(1), page => Assert.Equal(10, page.Count));
        Assert.Equal(total - (10 * (pageCount - 1)), pages[^1].Count);
        Assert.Equal(total, all.Distinct().Count());
        Assert.Equal(added, all.Count(name => name.StartsWith(addedPrefix, StringComparison.Ordinal)));
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
