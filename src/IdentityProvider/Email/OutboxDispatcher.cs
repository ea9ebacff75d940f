using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Email;

/// <summary>
/// Sends what the outbox holds, oldest first, with exponential backoff between attempts. A mail
/// survives SMTP outages and restarts because it stays in the database until it is sent or given up.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes, OutboxSignal signal, MailDelivery delivery, IOptions<EmailOptions> options,
    ProviderMetrics metrics, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogDelivery(logger, delivery.Description);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // E.g. the database is briefly unreachable: the next round retries.
                LogRoundFailed(logger, exception);
            }

            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        // Whole milliseconds, so the claim (a concurrency token) reads back exactly as written.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        // A bounded batch, due first, from the index of waiting mail: an outage's backlog is never read whole.
        var due = await db.OutboxMessages
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        foreach (var message in due)
        {
            // Stopping: what is not claimed yet is left to another instance, or to the next start.
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            // Claim the row; a concurrent instance that claimed it first makes this save fail.
            var claimedUntil = now + LockDuration;
            message.LockedUntil = claimedUntil;
            try
            {
                // From here on the round completes even when stopping (see below), so a claim is never left half-made.
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.Entry(message).State = EntityState.Detached;
                continue;
            }

            // A delivery under way is finished and recorded even when the provider is stopping: cut off, it would leave
            // its claim behind (the mail then waits for the claim to lapse) or a mail the server took unrecorded (sent
            // twice). The host's shutdown timeout still bounds the wait.
            await SendOneAsync(message, CancellationToken.None);
            message.LockedUntil = null;
            await SaveOutcomeAsync(db, claimedUntil, CancellationToken.None);
            if (message.FailedAt is not null)
            {
                // Given up: admins see it in the audit log (the recipient, never the content).
                await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteAsync(
                    AuditTypes.MailFailed, details: $"To {message.To}: \"{message.Subject}\" after {message.Attempts} attempt(s): {message.LastError}",
                    cancellationToken: CancellationToken.None);
            }
        }

        // A mail that waits long means SMTP keeps refusing, or no instance is sending.
        metrics.OldestUnsentMail(await db.OutboxMessages
            .Where(m => m.SentAt == null && m.FailedAt == null)
            .OrderBy(m => m.CreatedAt)
            .Select(m => (DateTimeOffset?)m.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken));
    }

    /// <summary>
    /// Records what became of a delivery, waiting out a database outage for as long as this instance's claim on the
    /// row lasts: a mail the SMTP server accepted must not be sent again because the database could not be told.
    /// Past the claim another instance may have taken the row over, and retrying would gain nothing.
    /// </summary>
    private async Task SaveOutcomeAsync(ApplicationDbContext db, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception) && time.GetUtcNow() < claimedUntil)
            {
                LogOutcomeNotSaved(logger, exception.Message);
                await Task.Delay(options.Value.PollInterval, time, cancellationToken);
            }
        }
    }

    private async Task SendOneAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        message.Attempts++;
        try
        {
            await delivery.DeliverAsync(message, cancellationToken);
            message.SentAt = time.GetUtcNow();
            message.LastError = null;
            metrics.Mail("sent");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            message.LastError = exception.Message;
            if (MailDelivery.IsPermanent(exception) || message.Attempts >= options.Value.MaxAttempts)
            {
                message.FailedAt = time.GetUtcNow();
                metrics.Mail("failed");
                LogGaveUp(logger, message.Id, message.Attempts, exception.Message);
                return;
            }

            var delay = options.Value.RetryDelay * Math.Pow(2, message.Attempts - 1);
            message.NextAttemptAt = time.GetUtcNow() + (delay < MaxRetryDelay ? delay : MaxRetryDelay);
            metrics.Mail("deferred");
            LogWillRetry(logger, message.Id, message.Attempts, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail delivery: {Delivery}.")]
    private static partial void LogDelivery(ILogger logger, string delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox round failed; retrying at the next poll.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: cannot record a delivery's outcome ({Reason}); retrying while this instance's claim lasts.")]
    private static partial void LogOutcomeNotSaved(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} not delivered (attempt {Attempts}): {Error}. Will retry.")]
    private static partial void LogWillRetry(ILogger logger, Guid messageId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} given up after {Attempts} attempt(s): {Error}.")]
    private static partial void LogGaveUp(ILogger logger, Guid messageId, int attempts, string error);
}
