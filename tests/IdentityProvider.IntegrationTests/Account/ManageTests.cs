using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Account;

public sealed class ManageTests(MailingProviderFixture fixture) : IClassFixture<MailingProviderFixture>
{
    private const string NewPassword = "my freshly changed passphrase";

    private static async Task<string> RegisterConfirmedAsync(FormClient browser)
    {
        var email = $"changer-{Guid.NewGuid():N}@example.com";
        await browser.SubmitAsync("Account/Register", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Changer",
            ["Input.Password"] = ProviderFactory.UserPassword,
            ["Input.ConfirmPassword"] = ProviderFactory.UserPassword,
        });
        await browser.SubmitAsync(FormClient.LinkIn(await MailServer.WaitForMailAsync(email), "ConfirmEmail"), []);
        await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = ProviderFactory.UserPassword });
        return email;
    }

    [Fact]
    public async Task ChangePassword_WithoutSignIn_RedirectsToLogin()
    {
        using var browser = new FormClient(fixture.Provider);

        var (status, _) = await browser.GetAsync("Account/Manage/ChangePassword");

        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Fact]
    public async Task ChangePassword_WithCurrentPassword_RevokesTokensKeepsThisSessionAndMailsTheUser()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await RegisterConfirmedAsync(browser);
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);

        var changed = await browser.SubmitAsync("Account/Manage/ChangePassword", new()
        {
            ["Input.OldPassword"] = ProviderFactory.UserPassword,
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal("/Account/Notice?kind=password-changed", changed.Headers.Location?.OriginalString);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, NewPassword)).Status);
        var (_, home) = await browser.GetAsync("");
        Assert.Contains("Signed in as", home, StringComparison.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await MailServer.WaitForMailAsync(email)).Subject != "Your password was changed" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal("Your password was changed", (await MailServer.WaitForMailAsync(email)).Subject);
    }

    [Fact]
    public async Task ChangePassword_WithWrongCurrentPassword_ReRendersWithMessage()
    {
        using var browser = new FormClient(fixture.Provider);
        await RegisterConfirmedAsync(browser);

        var response = await browser.SubmitAsync("Account/Manage/ChangePassword", new()
        {
            ["Input.OldPassword"] = "not my current password",
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The current password is not correct.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_ChangedDisplayName_ShowsInTheNextAccessToken()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await RegisterConfirmedAsync(browser);
        var before = await api.PasswordAsync(email, ProviderFactory.UserPassword);

        var saved = await browser.SubmitAsync("Account/Manage", new() { ["Input.DisplayName"] = "Renamed <b>Person</b>" });
        var refreshed = await api.RefreshAsync(before.RefreshToken);
        var (_, page) = await browser.GetAsync("Account/Manage");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Renamed <b>Person</b>", refreshed.ReadAccessToken().GetClaim("name").Value);
        Assert.Contains("Renamed &lt;b&gt;Person&lt;/b&gt;", page, StringComparison.Ordinal);
    }
}
