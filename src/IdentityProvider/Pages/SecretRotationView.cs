namespace IdentityProvider.Pages;

/// <summary>
/// What <c>_SecretRotation.cshtml</c> shows for a confidential client: when its previous secret stops, and the rotate
/// form. The page that renders it has the <c>RotateSecret</c> and <c>EndGracePeriod</c> handlers and a <c>GraceHours</c> field.
/// </summary>
public sealed record SecretRotationView(string ClientId, DateTimeOffset? PreviousSecretEnd, int GraceHours);
