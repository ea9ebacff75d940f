using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Email;

public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>The sender, e.g. <c>IdentityProvider &lt;no-reply@example.com&gt;</c>.</summary>
    [Required]
    public string From { get; set; } = "IdentityProvider <no-reply@localhost>";

    /// <summary>Absent: mails are written as .eml files to <see cref="PickupDirectory"/> instead.</summary>
    public SmtpOptions? Smtp { get; set; }

    /// <summary>Where mails go when no SMTP server is configured; relative to the application's folder.</summary>
    [Required]
    public string PickupDirectory { get; set; } = Path.Combine("data", "mail");

    /// <summary>Delivery attempts before a mail is recorded as permanently failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry waits this long; each further one waits twice as long (capped at an hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a sent or given-up mail stays in the outbox (for an admin to look into a complaint) before the
    /// hourly pruning deletes it with the links it carried.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the outbox is looked at when nothing new was queued.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SmtpOptions
{
    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
