using IdentityProvider.Audit;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Clients;

/// <summary>
/// A confidential client's secret rotated by a person, an admin in the console or a developer in the portal: a new
/// provider-made secret, the old one working on for a grace period so the app can switch without downtime, audited.
/// </summary>
public sealed class SecretRotation(ClientSecretManager applications, AuditLog audit)
{
    /// <summary>The longest grace period the pages offer: <see cref="ClientSecretManager.MaximumGracePeriod"/>.</summary>
    public const int MaxGraceHours = 720;

    public const string GraceHoursProblem = "The grace period is 0 to 720 hours (30 days).";

    /// <summary>The new secret, to be shown once.</summary>
    public async Task<string> RotateAsync(OpenIddictEntityFrameworkCoreApplication application, int graceHours, CancellationToken cancellationToken = default)
    {
        var secret = ClientSecrets.Generate();
        await applications.RotateSecretAsync(application, secret, TimeSpan.FromHours(graceHours), cancellationToken);
        var previousEnd = await applications.GetPreviousSecretEndAsync(application, cancellationToken);
        await audit.WriteAsync(AuditTypes.ClientSecretRotated, clientId: application.ClientId, details: previousEnd is { } end
            ? $"new secret issued; the old one works until {end:u}"
            : "new secret issued; the old one no longer works", cancellationToken: cancellationToken);
        return secret;
    }

    /// <summary>Stops the previous secret before its grace period ends (after a leak, say).</summary>
    public async Task EndGracePeriodAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        if (await applications.RevokePreviousSecretAsync(application, cancellationToken))
        {
            await audit.WriteAsync(AuditTypes.ClientSecretRotated, clientId: application.ClientId,
                details: "previous secret revoked before the end of its grace period", cancellationToken: cancellationToken);
        }
    }
}
