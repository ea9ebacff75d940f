using IdentityProvider.Audit;
using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;

namespace IdentityProvider.Pages.Account.Manage;

[Authorize]
public sealed class EnableAuthenticatorModel(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, AccountSecurityChange securityChange, AccountMails mails,
    IOptions<AccountOptions> accounts) : PageModel
{
    public const int RecoveryCodeCount = 10;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string SharedKey { get; private set; } = "";

    public string AuthenticatorUri { get; private set; } = "";

    /// <summary>The address as a PNG QR code in a data: URI (the CSP allows data: images, nothing is fetched).</summary>
    public string QrCodeImage { get; private set; } = "";

    /// <summary>No key yet: the page offers to make one (a POST, since it ends the user's app sessions).</summary>
    public bool NeedsKey { get; private set; }

    [TempData]
    public string[]? RecoveryCodes { get; set; }

    public sealed class InputModel
    {
        [Required, StringLength(9, MinimumLength = 6, ErrorMessage = "Enter the six-digit code your authenticator app shows.")]
        [Display(Name = "Verification code")]
        public string Code { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return RedirectToPage("TwoFactorAuthentication");
        }

        await ShowKeyAsync(user);
        return Page();
    }

    /// <summary>
    /// Makes the authenticator key. Only on a POST: a new key renews the security stamp, which ends the user's
    /// refresh tokens, and a link from another site must not be able to do that.
    /// </summary>
    public async Task<IActionResult> OnPostStartAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!await users.GetTwoFactorEnabledAsync(user) && string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
        {
            // A new key changes the security stamp; keep this browser signed in.
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return RedirectToPage("TwoFactorAuthentication");
        }

        if (ModelState.IsValid && !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Input.Code))
        {
            ModelState.AddModelError("Input.Code", "The code is not valid. Check that your phone's clock is right and enter the newest code.");
        }

        if (!ModelState.IsValid)
        {
            await ShowKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await securityChange.CompleteAsync(user, AuditTypes.TwoFactorEnabled, () => mails.SendTwoFactorChangedAsync(user, enabled: true));
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        return RedirectToPage("ShowRecoveryCodes");
    }

    private async Task ShowKeyAsync(ApplicationUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            NeedsKey = true;
            return;
        }

        SharedKey = string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(chunk => new string(chunk)));
        var issuer = UrlEncoder.Default.Encode(accounts.Value.AuthenticatorIssuer);
        AuthenticatorUri = $"otpauth://totp/{issuer}:{UrlEncoder.Default.Encode(user.Email!)}?secret={key}&issuer={issuer}&digits=6";
        using var generator = new QRCodeGenerator();
        using var qrCode = generator.CreateQrCode(AuthenticatorUri, QRCodeGenerator.ECCLevel.M);
        QrCodeImage = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(qrCode).GetGraphic(pixelsPerModule: 4));
    }
}
