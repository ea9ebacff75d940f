namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>
/// The system's Chromium that the browser tests drive (<c>IDP_TEST_CHROMIUM</c>, else
/// <c>/usr/bin/chromium</c>). Without it the browser tests are reported as skipped, saying how to get it.
/// </summary>
public static class Chromium
{
    public const string Variable = "IDP_TEST_CHROMIUM";

    public static string Path { get; } =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } = File.Exists(Path)
        ? null
        : $"No Chromium at {Path}: install it (Debian: apt-get install chromium) or set {Variable} to its path.";
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
