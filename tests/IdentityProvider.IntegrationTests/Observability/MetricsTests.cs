using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Observability;

/// <summary>
/// Prometheus' view: the management listener's <c>/metrics</c>, scraped before and after traffic. Other test hosts in
/// this process feed the same meter, so the counters are checked for having moved at least as far as this traffic.
/// (The frameworks' meters are made per host, and OpenTelemetry merges same-named streams across the hosts of a
/// process, so which host's requests they show is not this test's to say; a provider process shows its own.)
/// </summary>
public sealed partial class MetricsTests : IAsyncLifetime
{
    private readonly int _metricsPort = Browser.BrowserFixture.FreeLoopbackPort();
    private HttpClient Prometheus { get; } = new();

    private ProviderFactory Provider { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Observability:MetricsPort"] = _metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        _ = Provider.Services;
    }

    public async Task DisposeAsync()
    {
        Prometheus.Dispose();
        await Provider.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_OnTheManagementPort_CountWhatTheProviderIssuedRefusedAndSent()
    {
        using var client = Provider.CreateTokenClient();
        var before = await ScrapeAsync();

        var issued = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        Assert.Equal("invalid_grant", (await client.PasswordAsync(ProviderFactory.UserEmail, "a wrong password")).Error);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(issued.RefreshToken)).Status);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(issued.RefreshToken)).Error);
        using var browser = new FormClient(Provider);
        await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = ProviderFactory.UserEmail });
        // What a client makes up does not become a label: a grant type of its own is counted as "other".
        var madeUp = $"made-up-{Guid.NewGuid():N}";
        Assert.Equal("unsupported_grant_type", (await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = madeUp,
            ["client_id"] = ProviderFactory.ConfidentialClient,
            ["client_secret"] = ProviderFactory.ConfidentialSecret,
        })).Error);

        var after = await ScrapeAsync();
        string[] password = ["grant_type=\"password\"", $"client_id=\"{ProviderFactory.ConfidentialClient}\""];
        Assert.True(after.Sum("idp_tokens_issued_total", password) >= before.Sum("idp_tokens_issued_total", password) + 1);
        string[] refresh = ["grant_type=\"refresh_token\"", $"client_id=\"{ProviderFactory.ConfidentialClient}\""];
        Assert.True(after.Sum("idp_tokens_issued_total", refresh) >= before.Sum("idp_tokens_issued_total", refresh) + 1);
        string[] refused = ["error=\"invalid_grant\""];
        Assert.True(after.Sum("idp_token_requests_refused_total", refused) >= before.Sum("idp_token_requests_refused_total", refused) + 2);
        Assert.True(after.Sum("idp_refresh_tokens_replayed_total") >= before.Sum("idp_refresh_tokens_replayed_total") + 1);
        Assert.True(after.Sum("idp_sign_ins_total", "outcome=\"succeeded\"") >= before.Sum("idp_sign_ins_total", "outcome=\"succeeded\"") + 1);
        Assert.True(after.Sum("idp_sign_ins_total", "outcome=\"failed\"") >= before.Sum("idp_sign_ins_total", "outcome=\"failed\"") + 1);
        Assert.True(after.Sum("idp_mails_total", "outcome=\"queued\"") >= before.Sum("idp_mails_total", "outcome=\"queued\"") + 1);
        Assert.Contains("idp_mails_oldest_unsent_age_seconds", after.Names);
        string[] other = ["grant_type=\"other\"", "error=\"unsupported_grant_type\""];
        Assert.True(after.Sum("idp_token_requests_refused_total", other) >= before.Sum("idp_token_requests_refused_total", other) + 1);
        Assert.DoesNotContain(madeUp, after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreNotServedOnTheProvidersOwnAddress()
    {
        using var browser = new FormClient(Provider);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("metrics")).Status);
    }

    private async Task<Scrape> ScrapeAsync()
    {
        // The exporter answers a scrape from a copy up to 300 ms old: wait that out, so that this traffic is in it.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        using var response = await Prometheus.GetAsync($"http://127.0.0.1:{_metricsPort}/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Prometheus' text format: one sample per line, <c>name{label="value",...} number</c>.</summary>
    private sealed partial class Scrape(string text)
    {
        private readonly List<(string Name, string Labels, double Value)> _samples = [.. Sample().Matches(text).Select(match => (
            match.Groups["name"].Value, match.Groups["labels"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)))];

        public string Text => text;

        public IEnumerable<string> Names => _samples.Select(sample => sample.Name).Distinct();

        public double Sum(string name, params string[] labels) =>
            _samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.Contains(label, StringComparison.Ordinal))).Sum(sample => sample.Value);

        [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|\+Inf)", RegexOptions.Multiline)]
        private static partial Regex Sample();
    }
}
