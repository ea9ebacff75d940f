using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Clients;

/// <summary>
/// OpenIddict's application manager, plus secret rotation with a grace period: OpenIddict keeps one secret
/// per client, so after a rotation the previous secret's hash and its end are kept in the application's
/// properties, and client authentication accepts either secret until then. Apps can switch without downtime.
/// </summary>
public sealed partial class ClientSecretManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<ClientSecretManager> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    VerifiedClientSecrets verified,
    TimeProvider time)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public const string PreviousSecretProperty = "previous_client_secret";

    public static readonly TimeSpan MaximumGracePeriod = TimeSpan.FromDays(30);

    private sealed record PreviousSecret(string Hash, DateTimeOffset ValidUntil);

    public override async ValueTask<bool> ValidateClientSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken = default)
    {
        if (await base.ValidateClientSecretAsync(application, secret, cancellationToken))
        {
            return true;
        }

        if (await HasClientTypeAsync(application, OpenIddictConstants.ClientTypes.Public, cancellationToken)
            || await FindPreviousSecretAsync(application, cancellationToken) is not { } previous
            || !await ValidateClientSecretAsync(secret, previous.Hash, cancellationToken))
        {
            return false;
        }

        LogPreviousSecretUsed(application.ClientId, previous.ValidUntil);
        return true;
    }

    /// <summary>OpenIddict's PBKDF2 comparison, skipped for a secret already verified against this stored hash.</summary>
    protected override async ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        if (verified.Contains(secret, comparand))
        {
            return true;
        }

        if (!await base.ValidateClientSecretAsync(secret, comparand, cancellationToken))
        {
            return false;
        }

        verified.Add(secret, comparand);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} authenticated with its previous secret, which stops working at {ValidUntil}.")]
    private partial void LogPreviousSecretUsed(string? clientId, DateTimeOffset validUntil);

    /// <summary>When the previous secret stops working, or null when only the current one works.</summary>
    public async ValueTask<DateTimeOffset?> GetPreviousSecretEndAsync(
        OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default) =>
        (await FindPreviousSecretAsync(application, cancellationToken))?.ValidUntil;

    /// <summary>Gives the client a new secret; the current one keeps working for <paramref name="gracePeriod"/> (zero: stops at once).</summary>
    public async ValueTask RotateSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string newSecret, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        if (gracePeriod < TimeSpan.Zero || gracePeriod > MaximumGracePeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(gracePeriod), $"The grace period must be between zero and {MaximumGracePeriod.TotalDays} days.");
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await PopulateAsync(descriptor, application, cancellationToken);
        descriptor.Properties.Remove(PreviousSecretProperty);
        if (gracePeriod > TimeSpan.Zero && !string.IsNullOrEmpty(descriptor.ClientSecret))
        {
            descriptor.Properties[PreviousSecretProperty] = JsonSerializer.SerializeToElement(
                new PreviousSecret(descriptor.ClientSecret, time.GetUtcNow() + gracePeriod));
        }

        // The descriptor held the stored hash; a different value is hashed by UpdateAsync.
        descriptor.ClientSecret = newSecret;
        await UpdateAsync(application, descriptor, cancellationToken);
    }

    /// <summary>Ends a grace period early. Returns false when there was none.</summary>
    public async ValueTask<bool> RevokePreviousSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        var descriptor = new OpenIddictApplicationDescriptor();
        await PopulateAsync(descriptor, application, cancellationToken);
        if (!descriptor.Properties.Remove(PreviousSecretProperty))
        {
            return false;
        }

        await UpdateAsync(application, descriptor, cancellationToken);
        return true;
    }

    private async ValueTask<PreviousSecret?> FindPreviousSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        var properties = await Store.GetPropertiesAsync(application, cancellationToken);
        if (!properties.TryGetValue(PreviousSecretProperty, out var element))
        {
            return null;
        }

        var previous = element.Deserialize<PreviousSecret>();
        return previous is not null && previous.ValidUntil > time.GetUtcNow() ? previous : null;
    }
}
