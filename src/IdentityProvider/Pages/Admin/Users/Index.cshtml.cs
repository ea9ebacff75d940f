using IdentityProvider.Admin;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Pages.Admin.Users;

/// <summary>Users with search, filters, sorting and paging, all done by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOptions<AdminOptions> options, TimeProvider time) : PagedListModel(options)
{
    public sealed record UserRow(string Id, string Email, string? DisplayName, bool EmailConfirmed, bool Locked, IReadOnlyList<string> Roles);

    /// <summary>Part of the email address or display name.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary><c>locked</c> or <c>unconfirmed</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    /// <summary><c>email</c> (default) or <c>name</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    public IReadOnlyList<UserRow> Rows { get; private set; } = [];

    public IReadOnlyList<string> AllRoles { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var users = db.Users.AsNoTracking();
        if (Q?.Trim() is { Length: > 0 and <= 256 } term)
        {
            var pattern = ContainsPattern.For(term);
#pragma warning disable CA1304, CA1311 // Translated to SQL upper(); it never runs as .NET string code.
            users = users.Where(u => EF.Functions.Like(u.NormalizedEmail!, pattern, ContainsPattern.EscapeCharacter)
                || (u.DisplayName != null && EF.Functions.Like(u.DisplayName.ToUpper(), pattern, ContainsPattern.EscapeCharacter)));
#pragma warning restore CA1304, CA1311
        }

        if (Filter == "unconfirmed")
        {
            users = users.Where(u => !u.EmailConfirmed);
        }
        else if (Filter == "locked" && db.Database.IsSqlite())
        {
            var locked = await LockedUserIdsAsync(now, cancellationToken);
            users = users.Where(u => locked.Contains(u.Id));
        }
        else if (Filter == "locked")
        {
            users = users.Where(u => u.LockoutEnd > now);
        }

        if (Role is { Length: > 0 and <= 256 } role)
        {
            var normalized = role.ToUpperInvariant();
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == normalized)));
        }

        users = Sort == "name"
            ? users.OrderBy(u => u.DisplayName).ThenBy(u => u.NormalizedEmail)
            : users.OrderBy(u => u.NormalizedEmail);

        var page = await ReadPageAsync(users, cancellationToken);

        var ids = page.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name ?? "");
        Rows = [.. page.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName, u.EmailConfirmed, u.LockoutEnd > now, [.. roles[u.Id].Order()]))];
        AllRoles = await db.Roles.OrderBy(r => r.Name).Select(r => r.Name ?? "").ToListAsync(cancellationToken);
    }

    /// <summary>
    /// SQLite cannot compare dates, so for the embedded store the end of each lock is compared here; the users
    /// who were ever locked are few there (Identity keeps <c>LockoutEnd</c> after a lock ends).
    /// </summary>
    private async Task<List<string>> LockedUserIdsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await db.Users.Where(u => u.LockoutEnd != null).Select(u => new { u.Id, u.LockoutEnd }).ToListAsync(cancellationToken))
            .Where(u => u.LockoutEnd > now).Select(u => u.Id)];

    public override string PageUrl(int page) => Url.Page("/Admin/Users/Index", new { Q, Filter, Role, Sort, p = page })!;
}
