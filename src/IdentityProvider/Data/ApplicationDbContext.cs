using IdentityProvider.Audit;
using IdentityProvider.Connect;
using IdentityProvider.Developers;
using IdentityProvider.Email;
using IdentityProvider.Jobs;
using IdentityProvider.Keys;
using IdentityProvider.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Data;

/// <summary>
/// The one store of the provider: Identity's users and roles, OpenIddict's applications,
/// authorizations, scopes and tokens, the data protection key ring, the stored signing keys, the
/// mail outbox, the audit log and what the developer portal adds to third-party apps.
/// Each database provider has its own subclass so that each keeps its own migrations.
/// </summary>
public abstract class ApplicationDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<StoredKey> StoredKeys => Set<StoredKey>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<BackchannelNotice> BackchannelNotices => Set<BackchannelNotice>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<InitialAccessToken> InitialAccessTokens => Set<InitialAccessToken>();

    public DbSet<ThirdPartyApp> ThirdPartyApps => Set<ThirdPartyApp>();

    public DbSet<ScheduledJob> ScheduledJobs => Set<ScheduledJob>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        // The admin console's user list sorts by name; without it a deep page sorts every user.
        builder.Entity<ApplicationUser>().HasIndex(u => new { u.DisplayName, u.NormalizedEmail });
        builder.Entity<StoredKey>(key =>
        {
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(64);
            key.Property(k => k.Use).HasMaxLength(8);
            key.Property(k => k.Algorithm).HasMaxLength(16);
            key.HasIndex(k => new { k.Use, k.CreatedAt });
        });
        builder.Entity<OutboxMessage>(message =>
        {
            QueuedJobColumns(message);
            message.Property(m => m.To).HasMaxLength(320);
            message.Property(m => m.Subject).HasMaxLength(300);
        });
        builder.Entity<BackchannelNotice>(notice =>
        {
            QueuedJobColumns(notice);
            notice.Property(n => n.ClientId).HasMaxLength(200);
            notice.Property(n => n.Subject).HasMaxLength(450);
            notice.Property(n => n.SessionId).HasMaxLength(200);
        });
        builder.Entity<InitialAccessToken>(token =>
        {
            token.HasKey(t => t.Id);
            token.Property(t => t.Name).HasMaxLength(Developers.InitialAccessTokens.MaxNameLength);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
        });
        builder.Entity<ThirdPartyApp>(app =>
        {
            app.HasKey(a => a.ApplicationId);
            app.HasOne<OpenIddictEntityFrameworkCoreApplication>().WithOne().HasForeignKey<ThirdPartyApp>(a => a.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            app.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.SetNull);
            app.HasIndex(a => a.OwnerId);
            app.Property(a => a.Homepage).HasMaxLength(ThirdPartyApp.MaxUriLength);
            app.Property(a => a.PrivacyPolicy).HasMaxLength(ThirdPartyApp.MaxUriLength);
            app.Property(a => a.TermsOfService).HasMaxLength(ThirdPartyApp.MaxUriLength);
            app.Property(a => a.Review).HasConversion<string>().HasMaxLength(16);
            app.Property(a => a.RegistrationAccessTokenHash).HasMaxLength(64);
        });
        builder.Entity<ScheduledJob>(job =>
        {
            job.HasKey(j => j.Name);
            job.Property(j => j.Name).HasMaxLength(100);
        });
        builder.Entity<AuditEvent>(audit =>
        {
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Type).HasMaxLength(64);
            audit.Property(a => a.ActorId).HasMaxLength(64);
            audit.Property(a => a.ActorEmail).HasMaxLength(256);
            audit.Property(a => a.UserId).HasMaxLength(64);
            audit.Property(a => a.UserEmail).HasMaxLength(256);
            audit.Property(a => a.ClientId).HasMaxLength(100);
            audit.Property(a => a.IpAddress).HasMaxLength(64);
            audit.Property(a => a.Details).HasMaxLength(2000);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => new { a.Type, a.At });
            audit.HasIndex(a => new { a.UserId, a.At });
            audit.HasIndex(a => new { a.ClientId, a.At });
        });
    }

    private static void QueuedJobColumns<TJob>(EntityTypeBuilder<TJob> job) where TJob : QueuedJob
    {
        job.HasKey(j => j.Id);
        job.Property(j => j.LastError).HasMaxLength(QueuedJob.MaxErrorLength);
        job.HasIndex(j => new { j.SentAt, j.FailedAt });
        // What is still to do, by when it is due: what the dispatcher reads.
        job.HasIndex(j => j.NextAttemptAt).HasFilter("\"SentAt\" IS NULL AND \"FailedAt\" IS NULL");
    }
}
