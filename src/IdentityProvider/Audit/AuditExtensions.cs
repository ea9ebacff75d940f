namespace IdentityProvider.Audit;

/// <summary>
/// The audit log: who did what to which account or client, written by each feature at the moment it
/// acts (sign-in, mail, tokens, account pages, the admin console) and read in the console.
/// </summary>
internal static class AuditExtensions
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddHostedService<AuditPruning>();
        builder.Services.AddOpenIddict().AddServer(options => options.AddEventHandler(RefreshReuseAuditHandler.Descriptor));
        return builder;
    }
}
