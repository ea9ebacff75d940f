using System.Buffers;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// RFC 7636 §4.1–4.2: a <c>code_challenge</c> and a <c>code_verifier</c> are 43 to 128 characters from
/// <c>[A-Za-z0-9-._~]</c>. OpenIddict checks neither, so a malformed one is answered with
/// <c>invalid_request</c> here, right after OpenIddict's own PKCE parameter checks.
/// </summary>
internal sealed class PkceFormatHandler :
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    public static OpenIddictServerHandlerDescriptor AuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<PkceFormatHandler>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<PkceFormatHandler>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        RejectIfMalformed(context, Parameters.CodeChallenge, context.Request.CodeChallenge);
        return default;
    }

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.Request.IsAuthorizationCodeGrantType())
        {
            RejectIfMalformed(context, Parameters.CodeVerifier, context.Request.CodeVerifier);
        }

        return default;
    }

    private static void RejectIfMalformed(BaseValidatingContext context, string parameter, string? value)
    {
        // A missing value is OpenIddict's to judge: PKCE is required per client.
        if (!string.IsNullOrEmpty(value) && (value.Length is < 43 or > 128 || value.AsSpan().ContainsAnyExcept(Unreserved)))
        {
            context.Reject(
                error: Errors.InvalidRequest,
                description: $"The '{parameter}' parameter must be 43 to 128 characters from A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636 §4.1).");
        }
    }
}
