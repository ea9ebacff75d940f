using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityProvider.Connect;

/// <summary>
/// The JSON Web Key Set and the discovery document are the same for the life of the process (keys are loaded
/// at start-up and a rotated key signs from the next start; endpoints, scopes and grants are configuration),
/// and every API and relying party fetches them. OpenIddict writes each once; later requests get the same
/// bytes from memory, without the authentication pipeline, and with a Cache-Control that lets clients keep
/// them for five minutes: short enough that a key added by a rotation and a restart is seen soon, and
/// libraries refetch on an unknown key id anyway. Discovery is cached only with a configured issuer: without
/// one (Development), OpenIddict writes each request's own host into it.
/// </summary>
internal sealed class CachedDocuments(IOptions<OpenIddictServerOptions> server)
{
    private const string CacheControl = "public, max-age=300";

    private readonly Dictionary<PathString, Document> _documents = [];
    private readonly Lock _gate = new();

    private sealed record Document(byte[] Body, string ContentType);

    public async Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var cacheable = path.Equals(ConnectPaths.Jwks) || (path.Equals(ConnectPaths.Discovery) && server.Value.Issuer is not null);
        if (!cacheable || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await next(context);
            return;
        }

        Document? document;
        lock (_gate)
        {
            _documents.TryGetValue(path, out document);
        }

        if (document is null)
        {
            var original = context.Response.Body;
            using var captured = new MemoryStream();
            context.Response.Body = captured;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                await original.WriteAsync(captured.ToArray());
                return;
            }

            document = new Document(captured.ToArray(), context.Response.ContentType ?? "application/json;charset=UTF-8");
            lock (_gate)
            {
                _documents[path] = document;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = document.ContentType;
        context.Response.Headers.CacheControl = CacheControl;
        context.Response.Headers.Pragma = default;
        context.Response.ContentLength = document.Body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(document.Body);
        }
    }
}
