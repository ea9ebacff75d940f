using IdentityProvider.Jobs;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Email;

/// <summary>
/// Deletes mail sent or given up more than <c>Email:OutboxRetention</c> ago: a sent mail holds the reset and
/// invitation links it carried, which have no business staying in the database.
/// </summary>
internal sealed class OutboxPruning(
    IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider time, ILogger<OutboxPruning> logger)
    : JobPruning<OutboxMessage>(scopes, time, logger)
{
    protected override TimeSpan Retention => options.Value.OutboxRetention;
}
