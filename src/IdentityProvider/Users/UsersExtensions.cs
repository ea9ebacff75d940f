using IdentityProvider.Connect;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

internal static class UsersExtensions
{
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>()
            .BindConfiguration(AccountOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<PasswordHashingOptions>()
            .BindConfiguration(PasswordHashingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length is what makes a password strong; composition rules only make it predictable.
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Tokens.AuthenticatorTokenProvider = OneTimeAuthenticatorCodes.ProviderName;
            })
            .AddPasswordValidator<NotTheEmailPasswordValidator>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddEntityFrameworkStores<ApplicationDbContext>()
            .AddUserStore<SecretProtectingUserStore>()
            .AddUserManager<ApplicationUserManager>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<LinkTokens>(TokenOptions.DefaultProvider)
            .AddTokenProvider<OneTimeAuthenticatorCodes>(OneTimeAuthenticatorCodes.ProviderName)
            .AddTokenProvider<InvitationTokens>(InvitationTokens.ProviderName);

        builder.Services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<ApplicationUser>, Argon2idPasswordHasher>());
        builder.Services.AddSingleton<FailedPasswordCheckCost>();

        builder.Services.AddOptions<IdentityOptions>()
            .Configure<IOptions<AccountOptions>>((identity, accounts) =>
            {
                identity.SignIn.RequireConfirmedEmail = accounts.Value.RequireConfirmedEmail;
                identity.Password.RequiredLength = accounts.Value.PasswordMinimumLength;
                identity.Lockout.MaxFailedAccessAttempts = accounts.Value.LockoutMaxFailedAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = accounts.Value.LockoutDuration;
            });

        builder.Services.AddOptions<DataProtectionTokenProviderOptions>()
            .Configure<IOptions<AccountOptions>>((tokens, accounts) => tokens.TokenLifespan = accounts.Value.AccountTokenLifetime);
        builder.Services.AddOptions<InvitationTokens.ProviderOptions>()
            .Configure<IOptions<AccountOptions>>((tokens, accounts) => tokens.TokenLifespan = accounts.Value.InvitationLifetime);

        // Another session of a user whose password changed ends within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            options.OnRefreshingPrincipal = ProviderSession.KeepSignInMethods;
        });

        // HttpOnly and SameSite=Lax are the defaults; Secure is forced wherever HTTPS is required
        // (Idp:RequireHttps, true outside Development), else a plain-HTTP trial could not sign in at all.
        static CookieSecurePolicy CookieSecurity(IOptions<IdpOptions> idp, IHostEnvironment environment) =>
            idp.Value.HttpsRequired(environment) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountOptions>, IOptions<IdpOptions>, IHostEnvironment>((cookie, accounts, idp, environment) =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurity(idp, environment);
                cookie.ExpireTimeSpan = accounts.Value.SessionIdleTimeout;
                cookie.SlidingExpiration = true;
                ProviderSession.Attach(cookie, accounts.Value.SessionAbsoluteLifetime);
            });
        builder.Services.AddAntiforgery();
        builder.Services.AddOptions<AntiforgeryOptions>()
            .Configure<IOptions<IdpOptions>, IHostEnvironment>((antiforgery, idp, environment) =>
                antiforgery.Cookie.SecurePolicy = CookieSecurity(idp, environment));

        builder.Services.AddScoped<PasswordSignIn>();
        builder.Services.AddScoped<SessionRevocation>();
        builder.Services.AddScoped<AccountSecurityChange>();
        builder.Services.AddScoped<AccountChangeRecentSignIn>();
        // PostConfigure: Razor Pages' own set-up replaces the convention collection whenever it runs.
        builder.Services.PostConfigure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
        {
            foreach (var page in (string[])["/Account/Manage/Email", "/Account/Manage/EnableAuthenticator", "/Account/Manage/GenerateRecoveryCodes"])
            {
                options.Conventions.AddPageApplicationModelConvention(page, model =>
                    model.Filters.Add(new Microsoft.AspNetCore.Mvc.ServiceFilterAttribute(typeof(AccountChangeRecentSignIn))));
            }
        });
        builder.Services.AddScoped<ConnectedApps>();
        builder.Services.AddScoped<ProviderSignOut>();
        builder.Services.AddSingleton<AccountLinks>();
        return builder;
    }
}
