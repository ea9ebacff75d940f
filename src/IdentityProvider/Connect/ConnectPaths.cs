namespace IdentityProvider.Connect;

/// <summary>Where the protocol endpoints live: one spelling for the middleware, the pages and the endpoints.</summary>
internal static class ConnectPaths
{
    public static readonly PathString Prefix = "/connect";
    public static readonly PathString Authorize = Prefix.Add("/authorize");
    public static readonly PathString EndSession = Prefix.Add("/endsession");
    public static readonly PathString Token = Prefix.Add("/token");
    public static readonly PathString UserInfo = Prefix.Add("/userinfo");
    public static readonly PathString Revoke = Prefix.Add("/revoke");
    public static readonly PathString Introspect = Prefix.Add("/introspect");
    public static readonly PathString Register = Prefix.Add("/register");
    public static readonly PathString Jwks = "/.well-known/jwks";

    /// <summary>OpenIddict's default, left as it is: it also answers RFC 8414's /.well-known/oauth-authorization-server.</summary>
    public static readonly PathString Discovery = "/.well-known/openid-configuration";

    /// <summary>The paths OpenIddict answers in the protocol's own format; middleware made for pages leaves them alone.</summary>
    public static bool IsProtocolPath(PathString path) => path.StartsWithSegments(Prefix) || path.StartsWithSegments("/.well-known");

    /// <summary>An endpoint's address as OpenIddict takes it (relative to the issuer).</summary>
    public static string Relative(PathString path) => path.Value![1..];
}
