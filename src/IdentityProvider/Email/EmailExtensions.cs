using IdentityProvider.Jobs;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Email;

internal static class EmailExtensions
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.Smtp is null || !string.IsNullOrWhiteSpace(options.Smtp.Host),
                "Email:Smtp:Host is required when any Email:Smtp setting is given.")
            .Validate(options => options.Smtp is null || options.Smtp.Port is > 0 and <= 65535,
                "Email:Smtp:Port must be between 1 and 65535.")
            .Validate(options => MimeKit.MailboxAddress.TryParse(options.From, out _),
                "Email:From must be a mail address such as 'IdentityProvider <no-reply@example.com>'.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MailDelivery>();
        builder.Services.AddSingleton<JobSignal<OutboxMessage>>();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<AccountMails>();
        builder.Services.AddScoped<IEmailSender<ApplicationUser>, OutboxEmailSender>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<OutboxPruning>();
        return builder;
    }
}
