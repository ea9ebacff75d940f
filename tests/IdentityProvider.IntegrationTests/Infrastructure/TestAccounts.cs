namespace IdentityProvider.IntegrationTests.Infrastructure;

public static class TestAccounts
{
    /// <summary>Registers a new account through the pages, confirms it from the mail and signs the browser in.</summary>
    public static async Task<string> RegisterConfirmedAsync(FormClient browser, string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@example.com";
        await browser.SubmitAsync("Account/Register", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = prefix,
            ["Input.Password"] = ProviderFactory.UserPassword,
            ["Input.ConfirmPassword"] = ProviderFactory.UserPassword,
        });
        await browser.SubmitAsync(FormClient.LinkIn(await MailServer.WaitForMailAsync(email), "ConfirmEmail"), []);
        await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = ProviderFactory.UserPassword });
        return email;
    }

    /// <summary>Signs the browser in through the login page (as the seeded user unless told otherwise).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(
        FormClient browser, string email = ProviderFactory.UserEmail, string password = ProviderFactory.UserPassword, string? returnUrl = null) =>
        await browser.SubmitAsync(
            returnUrl is null ? "Account/Login" : "Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl),
            new() { ["Input.Email"] = email, ["Input.Password"] = password });
}
