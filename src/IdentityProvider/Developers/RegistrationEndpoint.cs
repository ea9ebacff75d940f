using System.Text.Json;
using IdentityProvider.Clients;
using IdentityProvider.Connect;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Developers;

/// <summary>
/// RFC 7591 dynamic client registration at <c>/connect/register</c>: an app presenting an initial access token an
/// admin issued registers itself as a third-party app. RFC 7592 client configuration at
/// <c>/connect/register/{client_id}</c>: with the registration access token it received, it reads, replaces or
/// deletes its registration.
/// </summary>
internal static class RegistrationEndpoint
{
    private static readonly JsonDocumentOptions JsonLimits = new() { MaxDepth = 8 };

    private const string NotJson = "The body must be a JSON object of client metadata (application/json).";

    public static WebApplication MapRegistrationEndpoints(this WebApplication app)
    {
        app.MapPost(ConnectPaths.Register, RegisterAsync);
        var configuration = ConnectPaths.Register.Add("/{clientId}").Value!;
        app.MapGet(configuration, ReadAsync);
        app.MapPut(configuration, ReplaceAsync);
        app.MapDelete(configuration, DeleteAsync);
        return app;
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, InitialAccessTokens initialTokens, ThirdPartyApps apps)
    {
        var token = BearerToken(context.Request);
        if (await initialTokens.FindUsableAsync(token, context.RequestAborted) is not { } initialTokenId)
        {
            return Unauthorized(context, "An initial access token issued by an administrator is needed (Authorization: Bearer).");
        }

        var (spec, error, description) = await ReadSpecAsync(context);
        if (spec is null)
        {
            return Invalid(context, error!, description!);
        }

        // Spent before the app is registered, so that registrations sent at once never outnumber the token's uses,
        // and given back when the metadata breaks a rule, so that a refused request costs nothing.
        if (!await initialTokens.TrySpendAsync(token, context.RequestAborted))
        {
            return Unauthorized(context, "The initial access token has no registrations left.");
        }

        RegisteredApp? registered;
        IReadOnlyList<SpecProblem> problems;
        try
        {
            (registered, problems) = await apps.RegisterAsync(spec, ownerId: null, initialTokenId, context.RequestAborted);
        }
        catch
        {
            await initialTokens.GiveBackAsync(initialTokenId, CancellationToken.None);
            throw;
        }

        if (registered is null)
        {
            await initialTokens.GiveBackAsync(initialTokenId, CancellationToken.None);
            return Invalid(context, RegistrationRequest.ErrorFor(problems[0]), problems[0].Message);
        }

        var answer = RegistrationRequest.Write(registered.ClientId, spec, registered.CreatedAt);
        answer["registration_access_token"] = registered.RegistrationAccessToken!;
        answer["registration_client_uri"] = ConfigurationUri(context, registered.ClientId);
        if (registered.Secret is not null)
        {
            answer["client_secret"] = registered.Secret;
            answer["client_secret_expires_at"] = 0;
        }

        return Answer(context, answer, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReadAsync(HttpContext context, string clientId, ThirdPartyApps apps) =>
        await AuthorizedAppAsync(context, clientId, apps) is { } app
            ? Answer(context, Metadata(context, app), StatusCodes.Status200OK)
            : Unauthorized(context, "The registration access token does not match this client.");

    private static async Task<IResult> ReplaceAsync(HttpContext context, string clientId, ThirdPartyApps apps, ClientSecretManager secrets)
    {
        if (await AuthorizedAppAsync(context, clientId, apps) is not { } app)
        {
            return Unauthorized(context, "The registration access token does not match this client.");
        }

        using var body = await ParseAsync(context);
        if (body is null)
        {
            return Invalid(context, RegistrationRequest.InvalidClientMetadata, NotJson);
        }

        // RFC 7592 §2.2: the request names the client it replaces, and a secret it sends must be the current one.
        if (!body.RootElement.TryGetProperty(Parameters.ClientId, out var named) || named.ValueKind != JsonValueKind.String || named.GetString() != clientId)
        {
            return Invalid(context, RegistrationRequest.InvalidClientMetadata, "client_id must be sent and be this client's id.");
        }

        var sentSecret = body.RootElement.TryGetProperty(Parameters.ClientSecret, out var secret) ? secret : (JsonElement?)null;
        if (sentSecret is { } value && (value.ValueKind != JsonValueKind.String || !await secrets.ValidateClientSecretAsync(app.Application, value.GetString()!, context.RequestAborted)))
        {
            return Invalid(context, RegistrationRequest.InvalidClientMetadata, "client_secret, when sent, must be the client's current secret.");
        }

        var (spec, error, description) = RegistrationRequest.Read(body.RootElement);
        if (spec is null)
        {
            return Invalid(context, error!, description!);
        }

        try
        {
            if (await apps.UpdateAsync(app, spec, context.RequestAborted) is [var problem, ..])
            {
                return Invalid(context, RegistrationRequest.ErrorFor(problem), problem.Message);
            }
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            return ConcurrentChange(context);
        }

        return await apps.FindAsync(clientId, context.RequestAborted) is { } updated
            ? Answer(context, Metadata(context, updated), StatusCodes.Status200OK)
            : ConcurrentChange(context);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string clientId, ThirdPartyApps apps)
    {
        if (await AuthorizedAppAsync(context, clientId, apps) is not { } app)
        {
            return Unauthorized(context, "The registration access token does not match this client.");
        }

        try
        {
            await apps.DeleteAsync(app, context.RequestAborted);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            return ConcurrentChange(context);
        }

        return Results.NoContent();
    }

    /// <summary>The app, when the request's registration access token is its own; RFC 7592 answers 401 otherwise, known client or not.</summary>
    private static async Task<ThirdPartyAppView?> AuthorizedAppAsync(HttpContext context, string clientId, ThirdPartyApps apps) =>
        BearerToken(context.Request) is { } token && await apps.FindAsync(clientId, context.RequestAborted) is { } app
            && ThirdPartyApps.HoldsRegistrationToken(app, token)
            ? app
            : null;

    private static Dictionary<string, object> Metadata(HttpContext context, ThirdPartyAppView app)
    {
        var metadata = RegistrationRequest.Write(app.ClientId, app.Spec, app.Record.CreatedAt);
        // The token is stored hashed; the one the request carried is the client's current one.
        metadata["registration_access_token"] = BearerToken(context.Request)!;
        metadata["registration_client_uri"] = ConfigurationUri(context, app.ClientId);
        return metadata;
    }

    private static async Task<(ThirdPartyAppSpec?, string?, string?)> ReadSpecAsync(HttpContext context)
    {
        using var body = await ParseAsync(context);
        return body is null
            ? (null, RegistrationRequest.InvalidClientMetadata, NotJson)
            : RegistrationRequest.Read(body.RootElement);
    }

    /// <summary>
    /// The JSON body, or null when it is not JSON or holds text that cannot be read or stored. An oversized body is
    /// answered 413 by <see cref="ConnectRequestLimits"/>.
    /// </summary>
    private static async Task<JsonDocument?> ParseAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return null;
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, JsonLimits, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }

        if (HoldsStorableText(body.RootElement))
        {
            return body;
        }

        body.Dispose();
        return null;
    }

    /// <summary>
    /// False when a string or member name is a lone UTF-16 surrogate (<c>"\udc00"</c> parses, but reading it throws) or
    /// holds a NUL, which PostgreSQL cannot store.
    /// </summary>
    private static bool HoldsStorableText(JsonElement element)
    {
        try
        {
            return Storable(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Storable(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().All(member => !member.Name.Contains('\0') && Storable(member.Value)),
            JsonValueKind.Array => element.EnumerateArray().All(Storable),
            JsonValueKind.String => !element.GetString()!.Contains('\0'),
            _ => true,
        };
    }

    private static string ConfigurationUri(HttpContext context, string clientId)
    {
        var issuer = context.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value.Issuer?.AbsoluteUri.TrimEnd('/')
            ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return $"{issuer}{ConnectPaths.Register}/{Uri.EscapeDataString(clientId)}";
    }

    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private static IResult Answer(HttpContext context, Dictionary<string, object> metadata, int status)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(metadata, statusCode: status);
    }

    /// <summary>401; RFC 6750 §3.1: a request that carried no token at all is told only which scheme to use.</summary>
    private static IResult Unauthorized(HttpContext context, string description)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (BearerToken(context.Request) is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return Results.Json(Error(Errors.InvalidToken, description), statusCode: StatusCodes.Status401Unauthorized);
    }

    private static IResult Invalid(HttpContext context, string error, string description)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(Error(error, description), statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Two changes of one registration at the same moment: the second changed nothing.</summary>
    private static IResult ConcurrentChange(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(Error(Errors.TemporarilyUnavailable, "The registration was changed or deleted by another request at the same moment; read it again and retry."),
            statusCode: StatusCodes.Status409Conflict);
    }

    private static Dictionary<string, string> Error(string error, string description) =>
        new() { [Parameters.Error] = error, [Parameters.ErrorDescription] = description };
}
