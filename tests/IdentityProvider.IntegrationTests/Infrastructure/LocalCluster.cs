using System.Globalization;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's server binaries, on a free loopback port, in a
/// temporary folder removed when the test run ends. PostgreSQL refuses to run as root, so as root it
/// runs as the <c>postgres</c> user. Durability is off: nothing here must survive a crash.
/// </summary>
/// <remarks>
/// The test runner may stop the test process before its exit handler has removed the folder, so each run also
/// removes the clusters of earlier runs whose test process has gone.
/// </remarks>
public sealed class LocalCluster
{
    private const string FolderPrefix = "idp-test-pg-";
    private const string OwnerFile = "owner.pid";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> AbandonedRemoved = new();

    private readonly string _binaries;
    private readonly string _root;
    private readonly bool _asRoot;
    private readonly bool _tcp;
    private readonly int _port;

    private LocalCluster(string binaries, string root, bool asRoot, bool tcp) =>
        (_binaries, _root, _asRoot, _tcp, _port) = (binaries, root, asRoot, tcp, tcp ? FreePort() : 5432);

    /// <summary>Over loopback TCP, or over the Unix socket in the cluster's own folder.</summary>
    public string ConnectionString => $"Host={(_tcp ? "127.0.0.1" : _root)};Port={_port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres";

    private string Data => Path.Combine(_root, "data");

    /// <summary>
    /// A new cluster, running; null when no server binaries are installed. Without <paramref name="tcp"/> it listens on
    /// its Unix socket only: a cluster that a test stops and starts must not free a TCP port that another test's probe
    /// for a free port could take meanwhile.
    /// </summary>
    public static async Task<LocalCluster?> StartAsync(bool tcp = true)
    {
        if (FindBinaries() is not { } binaries)
        {
            return null;
        }

        var asRoot = Environment.UserName == "root";
        // Once per test process: two clusters starting at once would both remove the same folders.
        await AbandonedRemoved.GetOrAdd(binaries, _ => RemoveAbandonedAsync(binaries, asRoot));
        var root = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (asRoot)
        {
            await RunAsync("chown", ["postgres", root]);
        }

        var cluster = new LocalCluster(binaries, root, asRoot, tcp);
        await RunAsync(Path.Combine(binaries, "initdb"), ["-D", cluster.Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"], asRoot);
        await cluster.StartServerAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (ServerPid(cluster.Data) is { } server && IsRunning(server, "postgres"))
            {
                cluster.StopServerAsync("immediate").GetAwaiter().GetResult();
            }

            Directory.Delete(root, recursive: true);
        };
        return cluster;
    }

    /// <summary>Starts the server again after <see cref="StopServerAsync"/>, on the same port.</summary>
    public Task StartServerAsync() => RunAsync(Path.Combine(_binaries, "pg_ctl"),
    [
        "-D", Data, "-l", Path.Combine(_root, "postgres.log"), "-w", "start", "-o",
        $"-c listen_addresses={(_tcp ? "127.0.0.1" : "''")} -p {_port.ToString(CultureInfo.InvariantCulture)} -k {_root} -c fsync=off " +
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
    ], _asRoot);

    /// <summary>Stops the server the way an operator would ("fast": open sessions are ended, then it shuts down).</summary>
    public Task StopServerAsync(string mode = "fast") => RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Data, "-m", mode, "-w", "stop"], _asRoot);

    private static async Task RemoveAbandonedAsync(string binaries, bool asRoot)
    {
        foreach (var root in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (!IsAbandoned(root))
            {
                continue;
            }

            var data = Path.Combine(root, "data");
            try
            {
                if (ServerPid(data) is { } server && IsRunning(server, "postgres"))
                {
                    await RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], asRoot);
                }

                Directory.Delete(root, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Tidying only: a folder still being removed by its own process's exit, or a server already gone.
            }
        }
    }

    /// <summary>
    /// Its test process has gone; or it never recorded one (a process killed right after creating the folder) and the
    /// folder is older than any test run.
    /// </summary>
    private static bool IsAbandoned(string root)
    {
        var owner = Path.Combine(root, OwnerFile);
        return File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid)
            ? !IsRunning(pid)
            : Directory.GetCreationTimeUtc(root) < DateTime.UtcNow.AddHours(-2);
    }

    /// <summary>The postmaster's process id, from the first line of the file it leaves while it runs.</summary>
    private static int? ServerPid(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) ? pid : null;
    }

    /// <summary>Whether the process runs; with a name, whether it is still that program and not a later one given the id.</summary>
    private static bool IsRunning(int pid, string? name = null)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && (name is null || process.ProcessName == name);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The folder with initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            : Enumerable.Empty<string>();
        return onPath.Concat(installed).FirstOrDefault(folder =>
            File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool, as the <c>postgres</c> user when the tests run as root.</summary>
    private static Task RunAsync(string program, string[] arguments, bool asPostgres = false) =>
        asPostgres ? ExternalProgram.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : ExternalProgram.RunAsync(program, arguments);
}
