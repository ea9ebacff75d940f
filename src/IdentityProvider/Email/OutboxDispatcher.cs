using IdentityProvider.Audit;
using IdentityProvider.Jobs;
using IdentityProvider.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Email;

/// <summary>
/// Sends what the outbox holds, with exponential backoff between attempts. A mail survives SMTP outages and
/// restarts because it stays in the database until it is sent or given up.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes, JobSignal<OutboxMessage> signal, MailDelivery delivery, IOptions<EmailOptions> options,
    ProviderMetrics metrics, TimeProvider time, ILogger<OutboxDispatcher> logger)
    : JobDispatcher<OutboxMessage>(scopes, signal, time, logger)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        LogDelivery(logger, delivery.Description);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task<JobOutcome> AttemptAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await delivery.DeliverAsync(message, cancellationToken);
            metrics.Mail("sent");
            return JobOutcome.Done;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (MailDelivery.IsPermanent(exception) || message.Attempts >= options.Value.MaxAttempts)
            {
                metrics.Mail("failed");
                LogGaveUp(logger, message.Id, message.Attempts, exception.Message);
                return JobOutcome.GiveUp(exception.Message);
            }

            var delay = options.Value.RetryDelay * Math.Pow(2, message.Attempts - 1);
            metrics.Mail("deferred");
            LogWillRetry(logger, message.Id, message.Attempts, exception.Message);
            return JobOutcome.Retry(exception.Message, delay < MaxRetryDelay ? delay : MaxRetryDelay);
        }
    }

    protected override async Task RecordedAsync(OutboxMessage message, JobOutcome outcome, IServiceProvider services)
    {
        if (outcome.GivenUp)
        {
            // Admins see it in the audit log (the recipient, never the content).
            await services.GetRequiredService<AuditLog>().WriteAsync(
                AuditTypes.MailFailed, details: $"To {message.To}: \"{message.Subject}\" after {message.Attempts} attempt(s): {outcome.Error}",
                cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>A mail that waits long means SMTP keeps refusing, or no instance is sending.</summary>
    protected override async Task AfterRoundAsync(IQueryable<OutboxMessage> messages, CancellationToken cancellationToken) =>
        metrics.OldestUnsentMail(await messages
            .Where(m => m.SentAt == null && m.FailedAt == null)
            .OrderBy(m => m.CreatedAt)
            .Select(m => (DateTimeOffset?)m.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail delivery: {Delivery}.")]
    private static partial void LogDelivery(ILogger logger, string delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} not delivered (attempt {Attempts}): {Error}. Will retry.")]
    private static partial void LogWillRetry(ILogger logger, Guid messageId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} given up after {Attempts} attempt(s): {Error}.")]
    private static partial void LogGaveUp(ILogger logger, Guid messageId, int attempts, string error);
}
