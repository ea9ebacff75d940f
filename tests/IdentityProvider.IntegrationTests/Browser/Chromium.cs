using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>
/// The system's Chromium that the browser tests drive: <c>IDP_TEST_CHROMIUM</c>, else Debian's
/// <c>chromium-headless-shell</c>, else <c>chromium</c>. The headless shell is the same engine without the
/// desktop browser's window and tab-strip pages; Playwright runs its headless tests in it too, and on two
/// cores it spends a third of the CPU. Without either the browser tests are reported as skipped, saying how
/// to get one.
/// </summary>
public static class Chromium
{
    public const string Variable = "IDP_TEST_CHROMIUM";

    private static readonly string[] s_installed = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];

    public static string Path { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
        ? configured
        : s_installed.FirstOrDefault(File.Exists) ?? s_installed[0];

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } = File.Exists(Path)
        ? null
        : $"No Chromium at {Path}: install one (Debian: apt-get install chromium-headless-shell) or set {Variable} to its path.";

    private static readonly Lazy<Task<IBrowser>> s_browser = new(LaunchAsync);

    /// <summary>
    /// One browser for the whole run, closed when the test process exits. Every test works in a browser
    /// context of its own (cookies, storage), so sharing the process costs no isolation, and each launch of
    /// Playwright's driver and of Chromium costs about a second of CPU.
    /// </summary>
    public static Task<IBrowser> SharedAsync() => s_browser.Value;

    private static async Task<IBrowser> LaunchAsync()
    {
        // Playwright's 5 s default for expectations is too short when test classes share two cores:
        // a relying party's callback (code exchange, userinfo) has taken longer than that under load.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().GetAwaiter().GetResult();
            playwright.Dispose();
        };
        return browser;
    }
}

/// <summary>A test that drives Chromium: skipped, with the reason, where there is none.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute() => Skip = Chromium.MissingReason;
}

/// <summary>A theory that drives Chromium: skipped, with the reason, where there is none.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute() => Skip = Chromium.MissingReason;
}
