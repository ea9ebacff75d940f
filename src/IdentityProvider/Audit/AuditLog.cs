using IdentityProvider.Data;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Audit;

/// <summary>Writes audit events; the features call it themselves at the moment they act.</summary>
public sealed class AuditLog(ApplicationDbContext db, UserManager<ApplicationUser> users, IHttpContextAccessor http, TimeProvider time)
{
    public async Task WriteAsync(
        string type, ApplicationUser? user = null, string? clientId = null, string? details = null, CancellationToken cancellationToken = default)
    {
        var context = http.HttpContext;
        var actor = context?.User.Identity?.IsAuthenticated == true ? context.User : null;
        db.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Type = type,
            ActorId = actor is null ? null : users.GetUserId(actor),
            ActorEmail = actor?.Identity?.Name,
            UserId = user?.Id,
            UserEmail = user?.Email,
            ClientId = clientId,
            IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
            Details = details is { Length: > 2000 } ? details[..2000] : details,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
