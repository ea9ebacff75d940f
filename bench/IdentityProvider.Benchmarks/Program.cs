using System.Diagnostics;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Times the admin console's lists at scale: seeds users and audit events into a fresh PostgreSQL database
// (IDP_TEST_POSTGRES, as for the tests) and prints the median and worst time of each kind of list request.
// Arguments: the number of users (100 000) and of audit events (1 000 000).
var count = args.Length > 0 && int.TryParse(args[0], out var requested) ? requested : 100_000;
var auditCount = args.Length > 1 && int.TryParse(args[1], out var requestedAudit) ? requestedAudit : 1_000_000;

// WebApplicationFactory looks for the app's content root next to the solution by assembly name; here it is src/.
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "IdentityProvider.sln")))
{
    root = root.Parent;
}

Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_IDENTITYPROVIDER",
    Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from inside the repository."), "src", "IdentityProvider"));
await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync());
_ = provider.Server;

var seeding = Stopwatch.StartNew();
using (var scope = provider.Services.CreateScope())
{
    var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    for (var batch = 0; batch < count; batch += 5_000)
    {
        for (var i = batch; i < Math.Min(count, batch + 5_000); i++)
        {
            var email = $"user{i:D6}@bench.example";
            db.Users.Add(new ApplicationUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = i % 10 != 0, DisplayName = $"Bench User {i}", SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true, LockoutEnd = i % 100 == 0 ? DateTimeOffset.UtcNow.AddDays(1) : null,
            });
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    // Sign-ins fill the audit log fastest: a year of them, one every 30 s, spread over the seeded users.
    await db.Database.ExecuteSqlAsync($"""
        INSERT INTO "AuditEvents" ("At", "Type", "UserEmail", "ClientId", "IpAddress", "Details")
        SELECT now() - i * interval '30 seconds',
               (ARRAY['signin.succeeded', 'signin.failed', 'password.reset_requested', 'consent.granted'])[1 + i % 4],
               'user' || lpad((i % {count})::text, 6, '0') || '@bench.example',
               (ARRAY['first-party', 'service', 'public-app'])[1 + i % 3],
               '10.0.' || (i % 250) || '.' || (i % 200), 'seeded'
        FROM generate_series(1, {auditCount}) AS i
        """);

    // Autovacuum gathers statistics a while after a bulk load; without them the planner guesses and the
    // figures would describe the first minute after seeding, not a running provider.
    await db.Database.ExecuteSqlRawAsync("ANALYZE");
}

Console.WriteLine($"Seeded {count} users and {auditCount} audit events in {seeding.Elapsed.TotalSeconds:F1} s.");
using var admin = new FormClient(provider);
await TestAccounts.SignInAsync(admin);

string[] requests =
[
    "Admin/Users", "Admin/Users?p=1000", "Admin/Users?sort=name&p=500", "Admin/Users?q=user09999",
    "Admin/Users?q=bench%20user%20777", "Admin/Users?filter=unconfirmed", "Admin/Users?filter=locked", "Admin/Users?role=admin",
    "Admin/Audit", "Admin/Audit?p=200", "Admin/Audit?type=signin.failed", "Admin/Audit?user=user004242", "Admin/Audit?client=service",
    $"Admin/Audit?type=consent.granted&from={DateTime.UtcNow.AddDays(-200):yyyy-MM-dd}&to={DateTime.UtcNow.AddDays(-170):yyyy-MM-dd}",
];
Console.WriteLine($"{"request",-60} {"median ms",10} {"max ms",8}");
foreach (var request in requests)
{
    var times = new List<double>();
    for (var run = 0; run < 12; run++)
    {
        var watch = Stopwatch.StartNew();
        var (status, _) = await admin.GetAsync(request);
        watch.Stop();
        if (status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{request} answered {status}.");
        }

        if (run >= 2)
        {
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    Console.WriteLine($"{request,-60} {times[times.Count / 2],10:F1} {times[^1],8:F1}");
}
