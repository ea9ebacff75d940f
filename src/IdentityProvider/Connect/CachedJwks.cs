namespace IdentityProvider.Connect;

/// <summary>
/// The JSON Web Key Set is the same document for the life of the process (keys are loaded at start-up and a
/// rotated key signs from the next start), and every API and relying party fetches it. OpenIddict writes it
/// once; later requests get the same bytes from memory, without the authentication pipeline, and with a
/// Cache-Control that lets clients keep it for five minutes: short enough that a key added by a rotation and
/// a restart is seen soon, and libraries refetch on an unknown key id anyway.
/// </summary>
internal sealed class CachedJwks
{
    private const string CacheControl = "public, max-age=300";

    private (byte[] Body, string ContentType)? _document;

    public async Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.Equals(ConnectPaths.Jwks) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await next(context);
            return;
        }

        if (_document is not { } document)
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

            document = (captured.ToArray(), context.Response.ContentType ?? "application/json;charset=UTF-8");
            _document = document;
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
