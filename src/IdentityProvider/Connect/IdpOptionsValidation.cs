using Microsoft.Extensions.Options;

namespace IdentityProvider.Connect;

internal sealed class IdpOptionsValidation(IHostEnvironment environment) : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        if (options.Issuer is null)
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    "Idp:Issuer is required outside Development: set it to the provider's public HTTPS address, e.g. Idp__Issuer=https://login.example.com/.");
        }

        if (!options.Issuer.IsAbsoluteUri || !string.IsNullOrEmpty(options.Issuer.Query) || !string.IsNullOrEmpty(options.Issuer.Fragment))
        {
            return ValidateOptionsResult.Fail($"Idp:Issuer '{options.Issuer}' must be an absolute URI without query or fragment.");
        }

        if (options.Issuer.Scheme != Uri.UriSchemeHttps && !environment.IsDevelopment() && !options.Issuer.IsLoopback)
        {
            return ValidateOptionsResult.Fail($"Idp:Issuer '{options.Issuer}' must use https outside Development.");
        }

        return options.RefreshTokenAbsoluteLifetime < options.RefreshTokenLifetime
            ? ValidateOptionsResult.Fail("Idp:RefreshTokenAbsoluteLifetime must not be shorter than Idp:RefreshTokenLifetime.")
            : ValidateOptionsResult.Success;
    }
}
