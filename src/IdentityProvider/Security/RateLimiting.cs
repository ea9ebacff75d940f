using IdentityProvider.Observability;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IdentityProvider.Connect;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Security;

/// <summary>
/// Limits in front of the account pages and the token endpoint, keyed by client address and by the account a request
/// names, plus a smaller budget of failed sign-ins per address (<see cref="CredentialFailures"/>), counted in
/// <see cref="RateLimitCounters"/> that every instance shares. Rejections answer 429 with Retry-After.
/// </summary>
internal static partial class RateLimiting
{
    /// <summary>Longer client_ids are no client's: such requests count under the address alone.</summary>
    private const int MaxClientIdLength = 200;

    /// <summary>Account forms are a few hundred bytes; the limiter reads no more than this to find the account.</summary>
    private const int MaxFormBytes = 64 * 1024;

    /// <summary>
    /// Pages that check a password or a code, or send mail, named as routing resolved them: a trailing slash
    /// or another spelling of the path reaches the same page and the same limit.
    /// </summary>
    private static readonly HashSet<string> LimitedPages = new(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register",
        "/Account/ForgotPassword", "/Account/ResetPassword", "/Account/ResendEmailConfirmation", "/Account/ConfirmEmail",
        "/Account/Manage/ChangePassword", "/Account/Manage/Email", "/Account/Manage/EnableAuthenticator",
        "/Account/Manage/Disable2fa", "/Account/Manage/GenerateRecoveryCodes", "/Developer/Edit", "/Developer/App",
    };

    /// <summary>The pages that sign in; with the password grant, what the failed sign-in budget guards.</summary>
    private static readonly HashSet<string> SignInPages = new(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/ConfirmEmail",
    };

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<InProcessRateLimitCounters>();
        builder.Services.AddScoped<RateLimitCounters>(services => services.GetRequiredService<DatabaseStore>().IsEmbedded
            ? services.GetRequiredService<InProcessRateLimitCounters>()
            : ActivatorUtilities.CreateInstance<PostgresRateLimitCounters>(services));
        builder.Services.AddHostedService<RateLimitCounterPruning>();
        return builder;
    }

    public static WebApplication UseRateLimits(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimiting).FullName!);

        // The form is read here, before the page or OpenIddict, for the account it names; it is buffered once and
        // reused by model binding and OpenIddict.
        app.Use(async (context, next) =>
        {
            var kind = Kind(context);
            if (kind == RequestKind.None)
            {
                await next(context);
                return;
            }

            if (kind == RequestKind.Form && !LimitFormSize(context))
            {
                await WriteFormTooLargeAsync(context);
                return;
            }

            IFormCollection? form = null;
            try
            {
                form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteFormTooLargeAsync(context);
                return;
            }
            catch (Exception unreadable) when (unreadable is BadHttpRequestException or IOException && !context.Response.HasStarted)
            {
                // A truncated body or a client that went away: nothing to answer but the status.
                context.Response.StatusCode = unreadable is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
                return;
            }
            catch (InvalidDataException)
            {
                // Malformed bodies are answered by the endpoint itself; they still count per address.
            }

            var (limits, failureLimit) = await LimitsOfAsync(context, kind, form, options);
            var counters = context.RequestServices.GetRequiredService<RateLimitCounters>();
            var counts = await counters.TakeAsync(limits, options.Window, context.RequestAborted);
            var failureBudget = counts.FirstOrDefault(count => count.Limit == failureLimit);
            try
            {
                var refused = counts.Where(count => !count.Allowed).OrderByDescending(count => count.WindowEnds).ToList();
                if (refused.Count > 0)
                {
                    var retryAfter = refused[0].WindowEnds - context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    await RejectAsync(context, refused.Contains(failureBudget) ? "failed_sign_ins" : "requests", retryAfter, context.RequestAborted);
                    return;
                }

                await next(context);
            }
            finally
            {
                if (failureBudget.Allowed && !CredentialFailures.Failed(context))
                {
                    await GiveBackAsync(counters, failureBudget, logger);
                }
            }
        });
        return app;
    }

    /// <summary>
    /// The limits a request counts against: its address's (forms and token requests apart), the account it names,
    /// the recipient of a mail it asks for, and for a sign-in the address's failed sign-in budget, of which it
    /// reserves a permit before it runs, so that guesses sent in parallel cannot outrun the budget.
    /// </summary>
    private static async Task<(List<RateLimitCounters.Limit> All, RateLimitCounters.Limit? FailureBudget)> LimitsOfAsync(
        HttpContext context, RequestKind kind, IFormCollection? form, RateLimitOptions options)
    {
        var address = AddressGroup(context.Connection.RemoteIpAddress);
        var limits = new List<RateLimitCounters.Limit>
        {
            kind switch
            {
                RequestKind.Token => new("token-ip:" + address, options.TokenRequestsPerIp),
                RequestKind.Registration => new("register-ip:" + address, options.RegistrationRequestsPerIp),
                _ => new("ip:" + address, options.FormsPerIp),
            },
        };
        if (await AccountOfAsync(context, form) is { } account)
        {
            limits.Add(new("account:" + account, options.PerAccount));
        }

        // A new address to confirm is mailed too: it has a limit of its own, whoever asks.
        if (Normalized(form?["Input.NewEmail"].FirstOrDefault()) is { } recipient)
        {
            limits.Add(new("recipient:" + recipient, options.PerAccount));
        }

        if (!SignsIn(context, kind, form))
        {
            return (limits, null);
        }

        var failureBudget = new RateLimitCounters.Limit("failed-sign-ins:" + FailureKey(context, kind, form), options.FailedSignInsPerIp);
        limits.Add(failureBudget);
        return (limits, failureBudget);
    }

    /// <summary>
    /// The address a limit counts: IPv4 as it is, IPv6 by its /64 (one customer's network, which holds more
    /// addresses than anyone could count through).
    /// </summary>
    internal static string AddressGroup(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private enum RequestKind
    {
        None,
        Form,
        Token,
        /// <summary>Dynamic client registration and its configuration endpoint (RFC 7591, RFC 7592).</summary>
        Registration,
    }

    private static RequestKind Kind(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(ConnectPaths.Register))
        {
            return RequestKind.Registration;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return RequestKind.None;
        }

        if (context.Request.Path.StartsWithSegments(ConnectPaths.Token))
        {
            return RequestKind.Token;
        }

        return PageOf(context) is { } page && LimitedPages.Contains(page) ? RequestKind.Form : RequestKind.None;
    }

    private static string? PageOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>()?.ViewEnginePath;

    /// <summary>
    /// The failed sign-in budget's key: the client address, and for the password grant the client too, since an
    /// app's server sends every one of its users' sign-ins from its one address.
    /// </summary>
    private static string FailureKey(HttpContext context, RequestKind kind, IFormCollection? form)
    {
        var address = AddressGroup(context.Connection.RemoteIpAddress);
        return kind == RequestKind.Token ? address + " " + (ClientIdOf(context, form) ?? "") : address;
    }

    /// <summary>The client_id of a token request: in the form, or in HTTP Basic authentication (RFC 6749 §2.3.1).</summary>
    private static string? ClientIdOf(HttpContext context, IFormCollection? form)
    {
        if (form?[Parameters.ClientId].FirstOrDefault() is { Length: > 0 and <= MaxClientIdLength } inForm)
        {
            return inForm;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 2048)
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[2048];
        return Convert.TryFromBase64String(header[6..].Trim(), decoded, out var length) &&
            System.Text.Encoding.UTF8.GetString(decoded[..length]) is var pair && pair.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon &&
            Uri.UnescapeDataString(pair[..colon]) is { Length: <= MaxClientIdLength } clientId
                ? clientId
                : null;
    }

    private static bool SignsIn(HttpContext context, RequestKind kind, IFormCollection? form) => kind switch
    {
        RequestKind.Token => form?[Parameters.GrantType].ToString() == GrantTypes.Password,
        RequestKind.Form => SignInPages.Contains(PageOf(context)!),
        _ => false,
    };

    /// <summary>
    /// The account as model binding will see it (the form's field, else the query string's), the password
    /// grant's username, or else the signed-in user, so each account's pages have a limit of their own.
    /// </summary>
    private static async Task<string?> AccountOfAsync(HttpContext context, IFormCollection? form)
    {
        var named = new[] { form?["Input.Email"].FirstOrDefault(), context.Request.Query["Input.Email"].FirstOrDefault(), form?[Parameters.Username].FirstOrDefault() }
            .Select(Normalized).FirstOrDefault(value => value is not null);
        if (named is not null || context.Request.Path.StartsWithSegments(ConnectPaths.Prefix))
        {
            return named;
        }

        // The limits run before authentication; the account pages' session is read here for its user.
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return Normalized(session.Principal?.Identity?.Name);
    }

    private static string? Normalized(string? address) =>
        !string.IsNullOrWhiteSpace(address) && address.Length <= 254 ? address.Trim().ToUpperInvariant() : null;

    /// <summary>False for a form that says it is larger than any account form; a body without a length is cut off there.</summary>
    private static bool LimitFormSize(HttpContext context)
    {
        if (context.Request.ContentLength > MaxFormBytes)
        {
            return false;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxFormBytes;
        }

        return true;
    }

    private static async Task WriteFormTooLargeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "text/plain;charset=UTF-8";
        await context.Response.WriteAsync($"The form is larger than {MaxFormBytes} bytes.", context.RequestAborted);
    }

    /// <summary>
    /// Returns a sign-in's reserved failure; only a permit is at stake, so a database that fails here must not turn the
    /// sign-in's answer (tokens issued, a cookie set) into an error.
    /// </summary>
    private static async Task GiveBackAsync(RateLimitCounters counters, RateLimitCounters.Count reserved, ILogger logger)
    {
        try
        {
            await counters.GiveBackAsync(reserved, CancellationToken.None);
        }
        catch (Exception exception) when (DatabaseOutage.IsOutage(exception))
        {
            LogGiveBackFailed(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reserved failed sign-in permit was not given back ({Reason}); it lapses with its window.")]
    private static partial void LogGiveBackFailed(ILogger logger, string reason);

    private static async ValueTask RejectAsync(HttpContext context, string limit, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        context.RequestServices.GetRequiredService<ProviderMetrics>().RateLimitRejection(limit);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments(ConnectPaths.Prefix))
        {
            await ConnectResults.WriteErrorAsync(response, response.StatusCode, Errors.TemporarilyUnavailable,
                "Too many requests; retry after the time given in Retry-After.", cancellationToken);
            return;
        }

        response.ContentType = "text/plain;charset=UTF-8";
        await response.WriteAsync("Too many attempts. Please wait a minute and try again.", cancellationToken);
    }
}
