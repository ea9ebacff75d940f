using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityProvider.Clients;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>
/// The provider on a real loopback port (Kestrel over HTTPS with a throwaway self-signed certificate,
/// as in production: Secure cookies, HTTPS-only endpoints) and a real headless Chromium driven by
/// Playwright. Playwright's own browser download is not used: the tests run the system's <see cref="Chromium"/>.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private readonly X509Certificate2 _certificate = SelfSignedLocalhostCertificate();

    public ProviderFactory Provider { get; private set; } = null!;

    public Uri Origin { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        // Its tests are skipped (BrowserFact) and must not fail on a fixture they do not use.
        if (Chromium.MissingReason is not null)
        {
            return;
        }

        var port = FreeLoopbackPort();
        Origin = new Uri($"https://localhost:{port}/");
        var (smtpHost, smtpPort) = await MailServer.SmtpAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Idp:Issuer"] = Origin.ToString(),
            ["Email:Smtp:Host"] = smtpHost,
            ["Email:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:PollInterval"] = "00:00:00.200",
        };
        var clients = ProviderFactory.StandardClients();
        AddClients(clients);
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), settings) { Clients = clients, ConfigureServices = ConfigureProviderServices };
        Provider.UseKestrel(kestrel => ListenHttps(kestrel, port));
        Provider.StartServer();

        Browser = await Chromium.SharedAsync();
    }

    /// <summary>More clients for the provider, registered before it starts (its <see cref="Origin"/> is known by then).</summary>
    protected virtual void AddClients(List<ClientDefinition> clients)
    {
    }

    protected virtual void ConfigureProviderServices(IServiceCollection services)
    {
    }

    /// <summary>Listens on a loopback port over HTTPS with this fixture's certificate.</summary>
    public void ListenHttps(KestrelServerOptions kestrel, int port) => kestrel.ListenLocalhost(port, listen => listen.UseHttps(_certificate));

    /// <summary>This fixture's certificate in PEM, for relying parties outside .NET to trust.</summary>
    public string CertificatePem() => _certificate.ExportCertificatePem();

    /// <summary>An HTTP handler that trusts exactly this fixture's certificate.</summary>
    public HttpMessageHandler TrustingHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _certificate.GetCertHashString() },
    };

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Origin.ToString(), IgnoreHTTPSErrors = true });

    /// <summary>A client for the token endpoint that trusts exactly this fixture's certificate.</summary>
    public TokenClient CreateTokenClient() => new(new HttpClient(TrustingHandler()) { BaseAddress = Origin });

    public virtual async Task DisposeAsync()
    {
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        _certificate.Dispose();
    }

    private static X509Certificate2 SelfSignedLocalhostCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so the private key is usable by the TLS stack, not only by this object.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>The ports <see cref="FreeLoopbackPort"/> handed out in this test run, never handed out twice.</summary>
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port nothing listens on, for a server that starts a little later. It is taken below the kernel's
    /// ephemeral range: a port from that range (what binding to port 0 returns) may meanwhile be given to some outgoing
    /// connection, and the server then fails with "address already in use".
    /// </summary>
    public static int FreeLoopbackPort()
    {
        var ephemeralStart = EphemeralPortRangeStart();
        while (true)
        {
            var port = Random.Shared.Next(10_000, ephemeralStart);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Something of the machine's listens there already: try another.
            }
        }
    }

    /// <summary>Linux says where its ephemeral ports begin; elsewhere they begin at 49152 (IANA) or higher.</summary>
    private static int EphemeralPortRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split('\t', ' ')[0], CultureInfo.InvariantCulture, out var start) && start > 11_000
            ? start
            : 32_768;
    }
}
