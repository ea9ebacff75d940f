using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server inside the test process (the SmtpServer package) on a loopback port: the
/// provider's MailKit code talks SMTP to it over a socket, and the tests read what arrived.
/// </summary>
public static class MailServer
{
    private static readonly Lazy<int> Server = new(Start);
    private static readonly ConcurrentQueue<ReceivedMail> Received = new();
    private static readonly ConcurrentDictionary<string, MailHold> Holds = new(StringComparer.OrdinalIgnoreCase);
    private static TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task<(string Host, int Port)> SmtpAsync() => Task.FromResult(("127.0.0.1", Server.Value));

    /// <summary>Waits until a mail to <paramref name="address"/> (with <paramref name="subject"/>, if given) arrives and returns the newest.</summary>
    public static async Task<ReceivedMail> WaitForMailAsync(string address, string? subject = null, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var arrived = _arrived.Task;
            if (Received.LastOrDefault(mail => mail.IsTo(address) && (subject is null || mail.Subject == subject)) is { } mail)
            {
                return mail;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No mail to {address} {(subject is null ? "" : $"with subject '{subject}' ")}arrived.");
            }
        }
    }

    /// <summary>
    /// Until <see cref="MailHold.Release"/>, the server keeps a mail to <paramref name="address"/> without answering
    /// the client: it has the mail (and counts it), the provider's delivery is still waiting for the server's OK.
    /// </summary>
    public static MailHold Hold(string address) => Holds[address] = new MailHold(address);

    internal static void EndHold(MailHold hold) => Holds.TryRemove(new KeyValuePair<string, MailHold>(hold.Address, hold));

    public static Task<int> CountMailsToAsync(string address) => Task.FromResult(Received.Count(mail => mail.IsTo(address)));

    private static int Start()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store());
        _ = new SmtpServer.SmtpServer(options, services).StartAsync(CancellationToken.None);
        return port;
    }

    private sealed class Store : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            Received.Enqueue(new ReceivedMail(
                message.Subject ?? "", message.TextBody, message.HtmlBody, [.. transaction.To.Select(to => new MailAddress($"{to.User}@{to.Host}"))]));
            Interlocked.Exchange(ref _arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            foreach (var to in transaction.To)
            {
                if (Holds.TryGetValue($"{to.User}@{to.Host}", out var hold))
                {
                    await hold.KeepAsync();
                }
            }

            return SmtpResponse.Ok;
        }
    }
}

public sealed record ReceivedMail(string Subject, string? Text, string? Html, List<MailAddress> To)
{
    public bool IsTo(string address) => To.Any(to => string.Equals(to.Address, address, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first link in the text body that points at the provider's <c>Account/{page}</c>, as written.</summary>
    public Uri LinkTo(string page)
    {
        var match = Regex.Match(Text ?? "", $@"https?://\S+?/Account/{page}\?\S+");
        return match.Success ? new Uri(match.Value) : throw new InvalidOperationException($"No {page} link in: {Text}");
    }
}

public sealed record MailAddress(string Address);

/// <summary>A mail the test server keeps unanswered (<see cref="MailServer.Hold"/>).</summary>
public sealed class MailHold(string address) : IDisposable
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Address { get; } = address;

    /// <summary>Completes when the mail has arrived and is being kept.</summary>
    public Task Arrived => _arrived.Task;

    public void Release() => _released.TrySetResult();

    internal Task KeepAsync()
    {
        _arrived.TrySetResult();
        return _released.Task;
    }

    public void Dispose()
    {
        Release();
        MailServer.EndHold(this);
    }
}
