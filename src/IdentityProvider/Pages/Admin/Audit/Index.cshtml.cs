using IdentityProvider.Admin;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Pages.Admin.Audit;

/// <summary>The audit log, newest first, filtered and paged by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOptions<AdminOptions> options) : PageModel
{
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

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (Type is { Length: > 0 and <= 64 })
        {
            events = events.Where(e => e.Type == Type);
        }

        if (UserEmail?.Trim() is { Length: > 0 and <= 256 } email)
        {
            events = events.Where(e => e.UserEmail != null && e.UserEmail.Contains(email));
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

        var page = await events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .PageAsync(PageNumber, options.Value.PageSize, cancellationToken);
        (Events, Total, PageNumber, PageCount) = (page.Items, page.Total, page.Number, page.Count);
    }

    public string PageUrl(int page) => Url.Page("/Admin/Audit/Index", new { Type, user = UserEmail, client = ClientId, From, To, p = page })!;
}
