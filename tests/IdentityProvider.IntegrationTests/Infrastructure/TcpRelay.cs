using System.Net;
using System.Net.Sockets;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback port that is closed until <see cref="Start"/>, then relays to a real server: lets a
/// test take "the SMTP server" down and bring it back without touching the server itself.
/// </summary>
public sealed class TcpRelay(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;

    public int Port { get; } = FreePort();

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        using (inbound)
        using (var outbound = new TcpClient())
        {
            await outbound.ConnectAsync(targetHost, targetPort, _stopping.Token);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), _stopping.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stopping.Token);
            await Task.WhenAny(a, b);
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener?.Stop();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
