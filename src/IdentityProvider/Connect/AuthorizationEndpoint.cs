using IdentityProvider.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// The authorization endpoint's own logic. OpenIddict has already checked the client, the exact
/// redirect URI, PKCE and the scopes; this decides whether the user must sign in (again) or consent,
/// and issues the code. Its pages are the login and consent pages under /Account, and <see cref="AuthorizeError"/>
/// for a request whose error cannot be sent back to the client.
/// </summary>
internal static partial class AuthorizationEndpoint
{
    /// <summary>Added by the consent page when the user says no; only ever turns a request into access_denied.</summary>
    public const string ConsentDeniedParameter = "idp_consent";

    public static void MapAuthorizationEndpoint(this WebApplication app) =>
        app.MapMethods(ConnectPaths.Authorize, [HttpMethods.Get, HttpMethods.Post], HandleAsync).ExcludeFromDescription();

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        UserManager<ApplicationUser> users,
        SignInManager<ApplicationUser> signIn,
        IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations,
        TokenPrincipalFactory principals,
        LoginPrompt loginPrompt,
        IOptionsMonitor<OpenIddictServerOptions> server,
        TimeProvider time,
        ILogger<AuthorizeError> logger)
    {
        var request = context.GetOpenIddictServerRequest();
        var rejected = context.GetOpenIddictServerResponse();
        if (rejected?.Error is not null || request is null)
        {
            return await RejectAsync(
                context, request, rejected?.Error ?? Errors.InvalidRequest, rejected?.ErrorDescription, server.CurrentValue.Issuer, applications, logger);
        }

        var now = time.GetUtcNow();

        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var authTime = session.Succeeded ? ProviderSession.GetAuthTime(session.Properties) : null;
        var user = authTime is null ? null : await users.GetUserAsync(session.Principal!);
        var tooOld = request.MaxAge is { } maxAge && authTime is { } signedInAt && now - signedInAt > TimeSpan.FromSeconds(maxAge);
        var loginMarker = (string?)request.GetParameter(LoginPrompt.Parameter);
        var loginAsked = request.HasPromptValue(PromptValues.Login) || loginMarker is not null;
        var sessionId = ProviderSession.GetSessionId(session.Properties);
        var loginGiven = authTime is { } sessionStart && loginPrompt.SignedInAfter(loginMarker, sessionStart, sessionId);
        if (user is null || tooOld || (loginAsked && !loginGiven) || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return ConnectResults.Error(Errors.LoginRequired, "The user must sign in.");
            }

            // Back here after the login page, with prompt=login answered by a sign-in after this moment.
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = SelfUrl(context, loginAsked ? loginPrompt.MarkNow(sessionId) : null) },
                [IdentityConstants.ApplicationScheme]);
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!)
            ?? throw new InvalidOperationException("OpenIddict accepted a client that does not exist.");
        var applicationId = await applications.GetIdAsync(application);
        var scopes = request.GetScopes();

        // Third-party clients need the user's consent once, remembered as a permanent authorization;
        // first-party (implicit consent) clients never ask.
        string? consentId = null;
        if (!await applications.HasConsentTypeAsync(application, ConsentTypes.Implicit))
        {
            await foreach (var authorization in authorizations.FindAsync(
                user.Id, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes))
            {
                consentId = await authorizations.GetIdAsync(authorization);
            }

            if (consentId is null || request.HasPromptValue(PromptValues.Consent))
            {
                if (request.HasPromptValue(PromptValues.None))
                {
                    return ConnectResults.Error(Errors.ConsentRequired, "The user must consent to this application.");
                }

                if (RequestParameters(context).Any(parameter => parameter.Key == ConsentDeniedParameter))
                {
                    return ConnectResults.Error(Errors.AccessDenied, "The user did not allow this application.");
                }

                return Results.Redirect("/Account/Consent" + QueryString.Create(RequestParameters(context)));
            }
        }

        var principal = await principals.CreateForUserAsync(
            user, scopes, now, new UserSession(authTime!.Value, sessionId));
        if (consentId is not null)
        {
            principal.SetAuthorizationId(consentId);
        }

        return ConnectResults.SignIn(principal);
    }

    /// <summary>
    /// A request OpenIddict rejected. The error goes back to the client (with <c>state</c> and <c>iss</c>)
    /// only when the client exists and the redirect URI is one it registered; otherwise it is shown here,
    /// so the provider never redirects anywhere unverified.
    /// </summary>
    private static async Task<IResult> RejectAsync(
        HttpContext context, OpenIddictRequest? request, string error, string? description, Uri? issuer,
        IOpenIddictApplicationManager applications, ILogger logger)
    {
        var application = request?.ClientId is { Length: > 0 and <= 100 } clientId ? await applications.FindByClientIdAsync(clientId) : null;
        if (application is not null && request!.RedirectUri is { Length: > 0 } redirectUri &&
            await applications.ValidateRedirectUriAsync(application, redirectUri))
        {
            // Built here: OpenIddict does not send errors it found itself back to the client.
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                [Parameters.Error] = error,
                [Parameters.ErrorDescription] = description,
                [Parameters.State] = request.State,
                [Parameters.Iss] = issuer?.AbsoluteUri,
            }.Where(parameter => parameter.Value is not null)));
        }

        // The person only sees the page; the error id is how the app's developer and an admin find this in the log.
        LogRefused(logger, context.TraceIdentifier, error, description, request?.ClientId, request?.RedirectUri);
        return new AuthorizeError(context.TraceIdentifier, application is not null, error, description, request?.ClientId, request?.RedirectUri);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization request refused on the provider's page, error id {ErrorId}: {Error} ({ErrorDescription}); client_id {ClientId}, redirect_uri {RedirectUri}.")]
    private static partial void LogRefused(ILogger logger, string errorId, string error, string? errorDescription, string? clientId, string? redirectUri);

    private static List<KeyValuePair<string, StringValues>> RequestParameters(HttpContext context) =>
        context.Request.HasFormContentType ? [.. context.Request.Form] : [.. context.Request.Query];

    /// <summary>This request as a GET URL (a POSTed request's form becomes the query), with a new login marker or none.</summary>
    private static string SelfUrl(HttpContext context, string? loginMarker)
    {
        var parameters = RequestParameters(context).Where(parameter => parameter.Key != LoginPrompt.Parameter).ToList();
        if (loginMarker is not null)
        {
            parameters.Add(new(LoginPrompt.Parameter, loginMarker));
        }

        return context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
    }
}
