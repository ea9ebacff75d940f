using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Email;

/// <summary>
/// Deletes mail sent or given up more than <c>Email:OutboxRetention</c> ago, once an hour: a sent mail holds
/// the reset and invitation links it carried, which have no business staying in the database.
/// </summary>
internal sealed class OutboxPruning(
    IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider time, ILogger<OutboxPruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var threshold = Time.GetUtcNow() - options.Value.OutboxRetention;
        return await services.GetRequiredService<ApplicationDbContext>().OutboxMessages
            .Where(m => m.SentAt < threshold || m.FailedAt < threshold)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
