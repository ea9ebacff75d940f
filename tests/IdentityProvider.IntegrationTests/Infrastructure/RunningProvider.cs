using System.Diagnostics;
using System.Globalization;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>The provider's executable serving on a loopback port of its own until disposed (or killed).</summary>
public sealed class RunningProvider : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private RunningProvider(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    /// <summary>What the process wrote to its console so far, a line each (standard output and error).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Console { get; } = new();

    /// <summary>
    /// A database of its own with the standard clients and users (seeded by a provider in the test process) and the
    /// settings a process needs to serve it over plain HTTP on loopback; <paramref name="extra"/> adds to them, and
    /// <paramref name="clients"/> replaces the standard clients.
    /// </summary>
    public static async Task<(string Database, Dictionary<string, string?> Environment)> SeededDatabaseAsync(
        IReadOnlyDictionary<string, string?>? extra = null, List<IdentityProvider.Clients.ClientDefinition>? clients = null)
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using (var seeding = new ProviderFactory(database) { Clients = clients ?? ProviderFactory.StandardClients() })
        {
            _ = seeding.Services;
        }

        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Idp__Issuer"] = "https://idp.test/",
            ["Idp__RequireHttps"] = "false",
            ["Keys__StoreGeneratedKeys"] = "true",
            ["RateLimits__Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return (database, environment);
    }

    public static async Task<RunningProvider> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = Browser.BrowserFixture.FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment[TestKeyRing.EnvironmentVariable] = TestKeyRing.Path;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var running = new RunningProvider(process, port);
        // Read as it comes, so that a chatty provider never blocks on a full pipe.
        process.OutputDataReceived += (_, line) => running.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => running.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilReadyAsync(process, port);
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(Process process, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"The provider exited at start with code {(process.HasExited ? process.ExitCode : 0)}.");
            try
            {
                using var ready = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "The provider was not ready within a minute.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Console.Enqueue(line);
        }
    }

    /// <summary>Kills the process (as a crash or an OOM kill would: no graceful stop); once is enough.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>Sends each request to the next instance in turn, as a round-robin load balancer without sticky sessions would.</summary>
public sealed class RoundRobin(params RunningProvider[] instances) : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
{
    private int _next;

    public List<int> PortsUsed { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var instance = instances[(Interlocked.Increment(ref _next) - 1) % instances.Length];
        lock (PortsUsed)
        {
            PortsUsed.Add(instance.Port);
        }

        request.RequestUri = new UriBuilder(request.RequestUri!) { Port = instance.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
