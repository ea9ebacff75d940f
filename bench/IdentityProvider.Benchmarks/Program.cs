using System.Diagnostics;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Times the admin console's user list at scale: seeds users into a fresh PostgreSQL database (IDP_TEST_POSTGRES,
// as for the tests) and prints the median and worst time of each kind of list request.
var count = args.Length > 0 && int.TryParse(args[0], out var requested) ? requested : 100_000;

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

    // Autovacuum gathers statistics a while after a bulk load; without them the planner guesses and the
    // figures would describe the first minute after seeding, not a running provider.
    await db.Database.ExecuteSqlRawAsync("ANALYZE");
}

Console.WriteLine($"Seeded {count} users in {seeding.Elapsed.TotalSeconds:F1} s.");
using var admin = new FormClient(provider);
await TestAccounts.SignInAsync(admin);

string[] requests =
[
    "Admin/Users", "Admin/Users?p=1000", "Admin/Users?sort=name&p=500", "Admin/Users?q=user09999",
    "Admin/Users?q=bench%20user%20777", "Admin/Users?filter=unconfirmed", "Admin/Users?filter=locked", "Admin/Users?role=admin",
];
Console.WriteLine($"{"request",-40} {"median ms",10} {"max ms",8}");
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
    Console.WriteLine($"{request,-40} {times[times.Count / 2],10:F1} {times[^1],8:F1}");
}
