using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// The token in an admin's invitation: like a password-reset token (single-use, bound to the security
/// stamp) but under its own data protection purpose and lifetime, because a new colleague may open the
/// mail days later while a reset link must die within minutes. A reset token is no invitation, nor the reverse.
/// </summary>
public sealed class InvitationTokens(IDataProtectionProvider protection, IOptions<InvitationTokens.ProviderOptions> options, TimeProvider clock)
    : LinkTokens(protection, options.Value, clock)
{
    public const string ProviderName = "Invitation";

    public sealed class ProviderOptions : DataProtectionTokenProviderOptions
    {
        public ProviderOptions() => Name = "InvitationDataProtectorTokenProvider";
    }
}
