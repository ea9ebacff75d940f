using IdentityProvider.Data;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        await browser.SubmitAsync(FormClient.LinkIn(await MailServer.WaitForMailAsync(email), "ConfirmEmail"), new() { ["Password"] = ProviderFactory.UserPassword });
        await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = ProviderFactory.UserPassword });
        return email;
    }

    /// <summary>Signs the browser in through the login page (as the seeded user unless told otherwise).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(
        FormClient browser, string email = ProviderFactory.UserEmail, string password = ProviderFactory.UserPassword, string? returnUrl = null) =>
        await browser.SubmitAsync(
            returnUrl is null ? "Account/Login" : "Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl),
            new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>A new confirmed account made directly (no mails), for tests that need a user of their own.</summary>
    public static async Task<string> CreateConfirmedAsync(ProviderFactory provider, string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@example.com";
        using var scope = provider.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true }, ProviderFactory.UserPassword);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(error => error.Description)));
        return email;
    }

    /// <summary>
    /// Replaces the account's password hash by the one Identity's own hasher (PBKDF2, with the provider's settings) makes
    /// of the same password: what a database from before Argon2id holds. Written straight into the table, so the
    /// security stamp stays.
    /// </summary>
    public static async Task<string> StorePbkdf2HashAsync(ProviderFactory provider, string email)
    {
        using var scope = provider.Services.CreateScope();
        var hash = new PasswordHasher<ApplicationUser>(scope.ServiceProvider.GetRequiredService<IOptions<PasswordHasherOptions>>())
            .HashPassword(new ApplicationUser(), ProviderFactory.UserPassword);
        var updated = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Users
            .Where(user => user.Email == email)
            .ExecuteUpdateAsync(user => user.SetProperty(u => u.PasswordHash, hash));
        Assert.Equal(1, updated);
        return hash;
    }
}
