using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Account;

public sealed class AccountFlowTests(MailingProviderFixture fixture) : IClassFixture<MailingProviderFixture>
{
    private const string NewPassword = "a completely new passphrase";
    private readonly ProviderFactory _provider = fixture.Provider;

    private static Dictionary<string, string> Registration(string email, string password = ProviderFactory.UserPassword) => new()
    {
        ["Input.Email"] = email,
        ["Input.DisplayName"] = "Dora",
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = password,
    };

    [Fact]
    public async Task RegisterConfirmLoginForgotReset_ThenOldRefreshTokenIsRejected()
    {
        var email = $"dora-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);
        using var api = _provider.CreateTokenClient();

        var registered = await browser.SubmitAsync("Account/Register", Registration(email));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/Account/Notice?kind=check-email", registered.Headers.Location?.OriginalString);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Error);

        var confirmation = await MailServer.WaitForMailAsync(email);
        var confirmed = await browser.SubmitAsync(FormClient.LinkIn(confirmation, "ConfirmEmail"), new() { ["Password"] = ProviderFactory.UserPassword });
        Assert.Equal("/Account/Notice?kind=email-confirmed", confirmed.Headers.Location?.OriginalString);

        var login = await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = ProviderFactory.UserPassword });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        var tokensBefore = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        Assert.Equal(HttpStatusCode.OK, tokensBefore.Status);

        var forgot = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = email });
        Assert.Equal("/Account/Notice?kind=check-email", forgot.Headers.Location?.OriginalString);
        var resetMail = await MailServer.WaitForMailAsync(email, "Reset your password");
        var resetLink = FormClient.LinkIn(resetMail, "ResetPassword");
        var reset = await browser.SubmitAsync(resetLink, new() { ["Input.Email"] = email, ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });
        Assert.Equal("/Account/Notice?kind=password-reset", reset.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, NewPassword)).Status);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Error);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokensBefore.RefreshToken)).Error);
        Assert.Equal("Your password was changed", (await MailServer.WaitForMailAsync(email, "Your password was changed")).Subject);

        var reused = await browser.SubmitAsync(resetLink, new() { ["Input.Email"] = email, ["Input.Password"] = "yet another passphrase", ["Input.ConfirmPassword"] = "yet another passphrase" });
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("not valid any more", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithTakenEmail_LooksLikeSuccessAndMailsTheOwner()
    {
        var email = $"taken-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);
        await browser.SubmitAsync("Account/Register", Registration(email));
        await MailServer.WaitForMailAsync(email);

        var again = await browser.SubmitAsync("Account/Register", Registration(email, "another long password"));

        Assert.Equal("/Account/Notice?kind=check-email", again.Headers.Location?.OriginalString);
        Assert.Equal("You already have an account", (await MailServer.WaitForMailAsync(email, "You already have an account")).Subject);
    }

    [Fact]
    public async Task Register_WithAPasswordThePolicyRefuses_AnswersTheSameForATakenAndANewAddress()
    {
        using var browser = new FormClient(_provider);
        var mailsBefore = await _provider.QueuedMailsToAsync(ProviderFactory.UserEmail);
        static async Task<List<string>> FieldErrorsAsync(HttpResponseMessage response) =>
            [.. System.Text.RegularExpressions.Regex.Matches(await response.Content.ReadAsStringAsync(), "field-error[^>]*>([^<]+)<").Select(match => match.Groups[1].Value)];

        using var taken = await browser.SubmitAsync("Account/Register", Registration(ProviderFactory.UserEmail, "short"));
        using var fresh = await browser.SubmitAsync("Account/Register", Registration($"new-{Guid.NewGuid():N}@example.com", "short"));
        var takenErrors = await FieldErrorsAsync(taken);

        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEmpty(takenErrors);
        Assert.Equal(takenErrors, await FieldErrorsAsync(fresh));
        Assert.Equal(mailsBefore, await _provider.QueuedMailsToAsync(ProviderFactory.UserEmail));
    }

    [Fact]
    public async Task Register_WithPasswordEqualToEmail_ShowsPolicyMessage()
    {
        var email = $"same-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync("Account/Register", Registration(email, email));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("must not be your email address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithCommonPassword_ShowsPolicyMessage()
    {
        var email = $"common-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync("Account/Register", Registration(email, "QazWsxEdcRfv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("one of the most commonly used", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResendConfirmation_ForUnconfirmedAccount_MailsAWorkingLink()
    {
        var email = $"resend-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);
        await browser.SubmitAsync("Account/Register", Registration(email));
        await MailServer.WaitForMailAsync(email);

        var resent = await browser.SubmitAsync("Account/ResendEmailConfirmation", new() { ["Input.Email"] = email });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await MailServer.CountMailsToAsync(email) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal("/Account/Notice?kind=check-email", resent.Headers.Location?.OriginalString);
        Assert.Equal(2, await MailServer.CountMailsToAsync(email));
        var confirmed = await browser.SubmitAsync(FormClient.LinkIn(await MailServer.WaitForMailAsync(email), "ConfirmEmail"), new() { ["Password"] = ProviderFactory.UserPassword });
        Assert.Equal("/Account/Notice?kind=email-confirmed", confirmed.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ResendConfirmation_ForUnknownEmail_LooksLikeSuccessAndSendsNothing()
    {
        var email = $"unknown-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync("Account/ResendEmailConfirmation", new() { ["Input.Email"] = email });

        Assert.Equal("/Account/Notice?kind=check-email", response.Headers.Location?.OriginalString);
        Assert.Equal(0, await _provider.QueuedMailsToAsync(email));
    }

    [Fact]
    public async Task ForgotPassword_ForUnknownEmail_LooksLikeSuccessAndSendsNothing()
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = email });

        Assert.Equal("/Account/Notice?kind=check-email", response.Headers.Location?.OriginalString);
        Assert.Equal(0, await _provider.QueuedMailsToAsync(email));
    }

    [Fact]
    public async Task SomeoneRegisteringAnothersAddress_CannotKeepIt_TheOwnerTakesItOverByResettingThePassword()
    {
        var victim = $"victim-{Guid.NewGuid():N}@example.com";
        const string squattersPassword = "the squatter's own passphrase";
        const string ownersPassword = "the owner's brand new passphrase";
        using var squatter = new FormClient(_provider);
        using var owner = new FormClient(_provider);
        using var api = _provider.CreateTokenClient();
        await squatter.SubmitAsync("Account/Register", Registration(victim, squattersPassword));
        var confirmLink = FormClient.LinkIn(await MailServer.WaitForMailAsync(victim, "Confirm your email address"), "ConfirmEmail");

        // The owner opens the link but does not know the squatter's password: the address stays unconfirmed.
        using var notConfirmed = await owner.SubmitAsync(confirmLink, new() { ["Password"] = "a guess" });
        Assert.Equal(HttpStatusCode.OK, notConfirmed.StatusCode);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(victim, squattersPassword)).Error);

        // "Forgot your password?" works for the unconfirmed account, and the reset confirms the address.
        await owner.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = victim });
        var resetLink = FormClient.LinkIn(await MailServer.WaitForMailAsync(victim, "Reset your password"), "ResetPassword");
        using var reset = await owner.SubmitAsync(resetLink, new() { ["Input.Email"] = victim, ["Input.Password"] = ownersPassword, ["Input.ConfirmPassword"] = ownersPassword });

        Assert.Equal("/Account/Notice?kind=password-reset", reset.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(victim, ownersPassword)).Status);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(victim, squattersPassword)).Error);
    }

    [Fact]
    public async Task ForgotPassword_WithForgedHostHeader_MailsALinkToTheConfiguredIssuer()
    {
        var email = $"host-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(_provider);
        await browser.SubmitAsync("Account/Register", Registration(email));
        await browser.SubmitAsync(FormClient.LinkIn(await MailServer.WaitForMailAsync(email), "ConfirmEmail"), new() { ["Password"] = ProviderFactory.UserPassword });
        var (_, page) = await browser.GetAsync("Account/ForgotPassword");
        using var request = new HttpRequestMessage(HttpMethod.Post, "Account/ForgotPassword")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["__RequestVerificationToken"] = FormClient.AntiforgeryTokenIn(page),
            }),
        };
        request.Headers.Host = "evil.example";
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");

        using var response = await browser.Http.SendAsync(request);
        var mail = await MailServer.WaitForMailAsync(email, "Reset your password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("idp.test", mail.LinkTo("ResetPassword").Host);
        Assert.DoesNotContain("evil.example", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithWrongPassword_ShowsTheSameMessageAsUnknownUser()
    {
        using var browser = new FormClient(_provider);

        var wrong = await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = "not the password" });
        var unknown = await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = "ghost@example.com", ["Input.Password"] = "not the password" });

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("The email address or password is invalid.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The email address or password is invalid.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithExternalReturnUrl_RedirectsHomeInstead()
    {
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync("Account/Login?ReturnUrl=https%3A%2F%2Fevil.example%2F",
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("Account/Register")]
    [InlineData("Account/Login")]
    [InlineData("Account/ForgotPassword")]
    [InlineData("Account/ResendEmailConfirmation")]
    public async Task Forms_WithHostileOrOversizedInput_ReRenderWithErrorsNeverA500(string page)
    {
        using var browser = new FormClient(_provider);
        var huge = new string('x', 10_000);

        var response = await browser.SubmitAsync(page, new()
        {
            ["Input.Email"] = "<script>alert(1)</script>",
            ["Input.DisplayName"] = huge,
            ["Input.Password"] = huge,
            ["Input.ConfirmPassword"] = "different",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forms_WithoutAntiforgeryToken_AreRejected()
    {
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync("Account/Login",
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword }, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ResetPassword_WithTamperedCode_ShowsInvalidLinkMessage()
    {
        using var browser = new FormClient(_provider);

        var response = await browser.SubmitAsync($"Account/ResetPassword?code=tampered&email={Uri.EscapeDataString(ProviderFactory.UserEmail)}",
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not valid any more", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Identity's link tokens read the system clock, not the DI one, so this waits for real (in parallel with other classes).</summary>
    [Fact]
    public async Task ResetLink_AfterItsLifetime_IsNotValidAnyMore_WhileAnInvitationOfTheSameAgeIs()
    {
        var settings = await MailingProviderFixture.MailSettingsAsync();
        settings["Accounts:AccountTokenLifetime"] = "00:01:00";
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), settings, clock);
        var email = $"late-{Guid.NewGuid():N}@example.com";
        var invited = $"invited-late-{Guid.NewGuid():N}@example.com";
        using var browser = new FormClient(provider);
        using var admin = new FormClient(provider);
        await TestAccounts.SignInAsync(admin);
        await browser.SubmitAsync("Account/Register", Registration(email));
        await browser.SubmitAsync(FormClient.LinkIn(await MailServer.WaitForMailAsync(email), "ConfirmEmail"), new() { ["Password"] = ProviderFactory.UserPassword });
        await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = email });
        await admin.SubmitAsync("Admin/Users/Create", new() { ["Input.Email"] = invited });
        var resetLink = FormClient.LinkIn(await MailServer.WaitForMailAsync(email, "Reset your password"), "ResetPassword");
        var invitationLink = FormClient.LinkIn(await MailServer.WaitForMailAsync(invited, "Your account is ready"), "ResetPassword");

        clock.Offset = TimeSpan.FromSeconds(62);
        var late = await browser.SubmitAsync(resetLink, new() { ["Input.Email"] = email, ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });
        var lateInvitation = await browser.SubmitAsync(invitationLink, new() { ["Input.Email"] = invited, ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("not valid any more", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, lateInvitation.StatusCode);
    }
}
