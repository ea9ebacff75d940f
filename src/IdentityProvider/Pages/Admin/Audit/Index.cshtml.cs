using IdentityProvider.Admin;
using IdentityProvider.Audit;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Pages.Admin.Audit;

/// <summary>The audit log, newest first, filtered and paged by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOptions<AdminOptions> options) : PagedListModel(options)
{
    /// <summary>The log grows by every sign-in; counting millions of rows on each request would be the slow part.</summary>
    public const int CountLimit = 10_000;

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    /// <summary>The email address (or part of it) of the user the event is about.</summary>
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserEmail { get; set; }

    [BindProperty(SupportsGet = true, Name = "client")]
    public string? ClientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (Type is { Length: > 0 and <= 64 })
        {
            events = events.Where(e => e.Type == Type);
        }

        if (UserEmail?.Trim() is { Length: > 0 and <= 256 } email)
        {
            var pattern = ContainsPattern.For(email);
#pragma warning disable CA1304, CA1311 // Translated to SQL upper(); it never runs as .NET string code.
            events = events.Where(e => e.UserEmail != null && EF.Functions.Like(e.UserEmail.ToUpper(), pattern, ContainsPattern.EscapeCharacter));
#pragma warning restore CA1304, CA1311
        }

        if (ClientId is { Length: > 0 and <= 100 })
        {
            events = events.Where(e => e.ClientId == ClientId);
        }

        if (From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            events = events.Where(e => e.At >= start);
        }

        if (To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            events = events.Where(e => e.At < end);
        }

        Events = await ReadPageAsync(events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id), cancellationToken, CountLimit);
    }

    public override string PageUrl(int page) => Url.Page("/Admin/Audit/Index", new { Type, user = UserEmail, client = ClientId, From, To, p = page })!;
}
