using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IdentityProvider.Email;

/// <summary>
/// The only place that knows MailKit: turns an outbox row into a MIME message and hands it to
/// the configured SMTP server, or writes it as an .eml file when none is configured.
/// </summary>
public sealed class MailDelivery(IOptions<EmailOptions> options)
{
    public string PickupDirectory =>
        Path.GetFullPath(options.Value.PickupDirectory, AppContext.BaseDirectory);

    public string Description => options.Value.Smtp is { } smtp
        ? $"SMTP {smtp.Host}:{smtp.Port} ({smtp.Security})"
        : $".eml files in {PickupDirectory} (no Email:Smtp:Host configured)";

    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(MailboxAddress.Parse(options.Value.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.MessageId = $"{message.Id:N}@identityprovider";

        if (options.Value.Smtp is not { } smtp)
        {
            Directory.CreateDirectory(PickupDirectory);
            // Written aside and then renamed, so a reader never sees a half-written .eml file.
            var path = Path.Combine(PickupDirectory, $"{message.CreatedAt:yyyyMMddHHmmss}-{message.Id:N}.eml");
            await mime.WriteToAsync(path + ".part", cancellationToken);
            File.Move(path + ".part", path, overwrite: true);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        }, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>A refusal that retrying will not fix: a malformed address or a 5xx answer to the recipient.</summary>
    public static bool IsPermanent(Exception exception) => exception switch
    {
        ParseException => true,
        SmtpCommandException smtp => (int)smtp.StatusCode >= 500 && smtp.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted,
        _ => false,
    };
}
