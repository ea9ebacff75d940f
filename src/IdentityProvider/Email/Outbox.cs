using IdentityProvider.Data;
using IdentityProvider.Jobs;
using IdentityProvider.Observability;

namespace IdentityProvider.Email;

/// <summary>Queues mails in the database; the dispatcher is woken to send them right away.</summary>
public sealed class Outbox(ApplicationDbContext db, JobSignal<OutboxMessage> signal, ProviderMetrics metrics, TimeProvider time)
{
    public async Task EnqueueAsync(string to, MailTemplate template, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        db.OutboxMessages.Add(new OutboxMessage
        {
            To = to,
            Subject = template.Subject,
            TextBody = template.ToText(),
            HtmlBody = template.ToHtml(),
            CreatedAt = now,
            NextAttemptAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        metrics.Mail("queued");
        signal.Wake();
    }
}
