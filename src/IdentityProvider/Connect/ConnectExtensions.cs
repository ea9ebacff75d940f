using IdentityProvider.Jobs;
using IdentityProvider.Clients;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

internal static class ConnectExtensions
{
    public static WebApplicationBuilder AddConnect(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdpOptions>()
            .BindConfiguration(IdpOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IdpOptions>, IdpOptionsValidation>();

        builder.Services.AddOpenIddict()
            .AddCore(options =>
            {
                options.UseEntityFrameworkCore().UseDbContext<Data.ApplicationDbContext>();
                options.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, ClientSecretManager>();
                options.ReplaceTokenStore<OpenIddictEntityFrameworkCoreToken, ChainRevokingTokenStore>();
                options.ReplaceScopeStore<OpenIddictEntityFrameworkCoreScope, CachedScopeStore>();
                options.ReplaceApplicationStore<OpenIddictEntityFrameworkCoreApplication, ChangeNotifyingApplicationStore>();
            })
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(ConnectPaths.Relative(ConnectPaths.Authorize))
                    .SetEndSessionEndpointUris(ConnectPaths.Relative(ConnectPaths.EndSession))
                    .SetTokenEndpointUris(ConnectPaths.Relative(ConnectPaths.Token))
                    .SetUserInfoEndpointUris(ConnectPaths.Relative(ConnectPaths.UserInfo))
                    .SetRevocationEndpointUris(ConnectPaths.Relative(ConnectPaths.Revoke))
                    .SetIntrospectionEndpointUris(ConnectPaths.Relative(ConnectPaths.Introspect))
                    .SetJsonWebKeySetEndpointUris(ConnectPaths.Relative(ConnectPaths.Jwks));

                options.AllowAuthorizationCodeFlow()
                    .AllowPasswordFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();

                options.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, Scopes.Email, Scopes.Profile, Scopes.Roles);
                // Discovery's claims_supported: the factory's claims, plus those OpenIddict adds to id_tokens
                // itself (iss, aud, exp and iat are already among its defaults).
                options.RegisterClaims([.. TokenPrincipalFactory.ClientClaims, Claims.AuthorizedParty, Claims.Nonce, Claims.AccessTokenHash]);

                // Access tokens are plain signed JWTs (RFC 9068) so any API can verify them from JWKS.
                options.DisableAccessTokenEncryption();

                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();

                options.AddEventHandler(ForbiddenScopeHandler.Descriptor);
                options.AddEventHandler(PkceFormatHandler.AuthorizationDescriptor);
                options.AddEventHandler(PkceFormatHandler.TokenDescriptor);
                options.AddEventHandler(PostLogoutRedirectNeedsClient.Descriptor);
                options.AddEventHandler(BackchannelDiscoveryHandler.Descriptor);
                options.AddEventHandler(RefreshTokenRedemption.Descriptor);
                options.AddEventHandler(RefreshTokenRedemption.CommitWithNewTokens.Descriptor);
                options.AddEventHandler(UnstoredIdentityTokens.Descriptor);
                options.AddEventHandler(AsymmetricAccessTokens.Descriptor);
                options.AddEventHandler(FormPostResponse.Descriptor);
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
            });

        builder.Services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<IdpOptions>>((server, idp) =>
            {
                server.Issuer = idp.Value.Issuer;
                server.AccessTokenLifetime = idp.Value.AccessTokenLifetime;
                server.IdentityTokenLifetime = idp.Value.IdentityTokenLifetime;
                server.RefreshTokenLifetime = idp.Value.RefreshTokenLifetime;
                server.RefreshTokenReuseLeeway = idp.Value.RefreshTokenReuseLeeway;
                // RFC 9700 §2.1.1: "plain" PKCE gives no protection if the request leaks.
                server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
            });

        // OpenIddict's redemption step, narrowed to what RefreshTokenRedemption does not redeem itself. Swapped
        // in place after all configuration (RemoveEventHandler would also remove the narrowed copy, same type).
        builder.Services.PostConfigure<OpenIddictServerOptions>(server =>
        {
            var index = server.Handlers.FindIndex(handler => handler.ServiceDescriptor.ServiceType == typeof(OpenIddictServerHandlers.RedeemTokenEntry));
            server.Handlers[index] = RefreshTokenRedemption.Replaces;
        });
        builder.Services.AddSingleton<RefreshTokenRedemption.RedeemsElsewhere>();

        // Plain HTTP is only for `dotnet run` on a developer's machine unless explicitly allowed.
        builder.Services.AddOptions<OpenIddictServerAspNetCoreOptions>()
            .Configure<IOptions<IdpOptions>, IHostEnvironment>((aspNetCore, idp, environment) =>
                aspNetCore.DisableTransportSecurityRequirement = !idp.Value.HttpsRequired(environment));

        // OpenIddict registers the replacement under its base type only; pages that rotate secrets ask for it by name.
        builder.Services.AddScoped(provider => (ClientSecretManager)provider.GetRequiredService<OpenIddict.Core.OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>>());
        builder.Services.AddSingleton<CachedDocuments>();
        builder.Services.AddSingleton<CachedScopeStore.Lookups>();
        builder.Services.AddScoped<TokenPrincipalFactory>();
        builder.Services.AddSingleton<LoginPrompt>();
        builder.Services.AddMemoryCache();
        builder.Services.AddCors();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider, PublicClientCors>();
        builder.Services.AddHostedService<TokenPruning>();

        // Outside Development the ordinary client reaches public addresses only (PrivateNetworkGuard).
        var guarded = !builder.Environment.IsDevelopment();
        foreach (var (name, publicOnly) in new[] { (BackchannelLogoutSender.HttpClientName, guarded), (BackchannelLogoutSender.PrivateNetworkHttpClientName, false) })
        {
            builder.Services.AddHttpClient(name, client => client.Timeout = TimeSpan.FromSeconds(10))
                .ConfigurePrimaryHttpMessageHandler(() => publicOnly ? PrivateNetworkGuard.PublicAddressesOnly() : new SocketsHttpHandler { AllowAutoRedirect = false });
        }
        builder.Services.AddSingleton<JobSignal<BackchannelNotice>>();
        builder.Services.AddScoped<BackchannelLogout>();
        builder.Services.AddHostedService<BackchannelLogoutSender>();
        builder.Services.AddHostedService<BackchannelNoticePruning>();
        return builder;
    }

    /// <summary>Answers JWKS and discovery requests from memory after the first; goes right before authentication, where OpenIddict runs.</summary>
    public static WebApplication UseCachedDocuments(this WebApplication app)
    {
        var documents = app.Services.GetRequiredService<CachedDocuments>();
        app.Use(documents.ServeAsync);
        return app;
    }

    public static WebApplication MapConnect(this WebApplication app)
    {
        app.MapAuthorizationEndpoint();
        app.MapEndSessionEndpoint();
        app.MapTokenEndpoint();
        app.MapUserInfoEndpoint();
        return app;
    }
}
