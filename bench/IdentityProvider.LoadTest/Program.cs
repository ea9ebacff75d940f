using System.CommandLine;
using IdentityProvider.LoadTest;
using IdentityProvider.LoadTest.Scenarios;

var scenarios = new Option<string[]>("--scenarios")
{
    Description = "Comma-separated: " + string.Join(",", ScenarioCatalog.All.Select(scenario => scenario.Name)),
    CustomParser = CommandLineValues.List,
    DefaultValueFactory = _ => [.. ScenarioCatalog.All.Select(scenario => scenario.Name)],
};
var concurrency = new Option<int[]>("--concurrency")
{
    Description = "Virtual users per row, comma-separated",
    CustomParser = CommandLineValues.PositiveNumbers,
    DefaultValueFactory = _ => [1, 8, 32],
};
var duration = new Option<TimeSpan>("--duration") { Description = "Measured time per row", CustomParser = CommandLineValues.Duration, DefaultValueFactory = _ => TimeSpan.FromSeconds(10) };
var warmup = new Option<TimeSpan>("--warmup") { Description = "Unmeasured time before each row", CustomParser = CommandLineValues.Duration, DefaultValueFactory = _ => TimeSpan.FromSeconds(3) };
var first = new TargetOptions("", "Issuer of the provider (A)");
var second = new TargetOptions("compare-", "Issuer of a second provider (B), measured in turn with the first (A, B, A, B...)");

var root = new RootCommand("Closed-loop load on OpenID providers' endpoints, from their discovery documents.") { scenarios, concurrency, duration, warmup };
foreach (var option in first.All.Concat(second.All))
{
    root.Options.Add(option);
}

root.SetAction(async (parseResult, cancellationToken) =>
{
    try
    {
        return await RunAsync(parseResult, cancellationToken);
    }
    catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or HttpRequestException)
    {
        // A wrong setting or a provider that does not play along: the message says which, a stack trace would not.
        await Console.Error.WriteLineAsync(exception.Message);
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();

async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
{
    var settingsA = first.Bind(parseResult, fallback: null) ?? throw new ArgumentException("--issuer is required.");
    var settingsB = second.Bind(parseResult, settingsA);
    var chosen = parseResult.GetRequiredValue(scenarios).Select(ScenarioCatalog.Find).ToList();
    var (warmupTime, measuredTime) = (parseResult.GetValue(warmup), parseResult.GetValue(duration));

    await using var a = await MeasuredTarget.StartAsync("A", settingsA, cancellationToken);
    await using var b = settingsB is null ? null : await MeasuredTarget.StartAsync("B", settingsB, cancellationToken);
    MeasuredTarget[] targets = b is null ? [a] : [a, b];

    Console.WriteLine(Report.Legend(warmupTime, measuredTime));
    foreach (var scenario in chosen)
    {
        foreach (var users in parseResult.GetRequiredValue(concurrency))
        {
            // Interleaved, so that both targets share whatever the machine is doing meanwhile.
            foreach (var target in targets)
            {
                var row = await RowRunner.RunAsync(target, scenario, users, warmupTime, measuredTime, cancellationToken);
                target.Rows.Add(row);
                await Console.Error.WriteLineAsync(Report.Row(target.Target.Label, row));
            }
        }
    }

    foreach (var target in targets)
    {
        Console.WriteLine(Report.Table($"{target.Target.Label} = {target.Target.Settings.Issuer}", target.Rows));
    }

    if (b is not null)
    {
        Console.WriteLine(Report.Ratios(a.Target.Settings.Issuer.ToString(), b.Target.Settings.Issuer.ToString(), a.Rows, b.Rows));
    }

    var passwordRows = targets.SelectMany(target => target.Rows.Where(row => row.Scenario == "password")
        .Select(row => (target.Target.Label, target.Target.Settings.PasswordHash, row))).ToList();
    if (passwordRows.Count > 0)
    {
        Console.WriteLine(PasswordHashBound.Report(passwordRows, warmupTime, measuredTime));
    }

    return 0;
}
