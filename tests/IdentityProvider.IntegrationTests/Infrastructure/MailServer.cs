using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DotNet.Testcontainers.Builders;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server with an HTTP API to read mails back (maildev): the one named by
/// <see cref="SmtpVariable"/> and <see cref="ApiVariable"/> (as started by .ci/run), otherwise a
/// Testcontainers container when a Docker engine is reachable.
/// </summary>
public static class MailServer
{
    public const string SmtpVariable = "IDP_TEST_SMTP";
    public const string ApiVariable = "IDP_TEST_MAILDEV_API";

    private static readonly Lazy<Task<(string Host, int Port, Uri Api)>> Server = new(StartAsync);

    public static async Task<(string Host, int Port)> SmtpAsync()
    {
        var (host, port, _) = await Server.Value;
        return (host, port);
    }

    /// <summary>Waits until a mail to <paramref name="address"/> (with <paramref name="subject"/>, if given) arrives and returns the newest.</summary>
    public static async Task<ReceivedMail> WaitForMailAsync(string address, string? subject = null, TimeSpan? timeout = null)
    {
        var (_, _, api) = await Server.Value;
        using var http = new HttpClient { BaseAddress = api };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var mails = await http.GetFromJsonAsync<List<ReceivedMail>>("api/email") ?? [];
            var mail = mails.LastOrDefault(m =>
                m.To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)) && (subject is null || m.Subject == subject));
            if (mail is not null)
            {
                return mail;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No mail to {address} {(subject is null ? "" : $"with subject '{subject}' ")}arrived.");
    }

    public static async Task<int> CountMailsToAsync(string address)
    {
        var (_, _, api) = await Server.Value;
        using var http = new HttpClient { BaseAddress = api };
        var mails = await http.GetFromJsonAsync<List<ReceivedMail>>("api/email") ?? [];
        return mails.Count(m => m.To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task<(string, int, Uri)> StartAsync()
    {
        var smtp = Environment.GetEnvironmentVariable(SmtpVariable);
        var api = Environment.GetEnvironmentVariable(ApiVariable);
        if (!string.IsNullOrWhiteSpace(smtp) && !string.IsNullOrWhiteSpace(api))
        {
            var parts = smtp.Split(':');
            return (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), new Uri(api));
        }

        try
        {
            var container = new ContainerBuilder("maildev/maildev:2.2.1")
                .WithPortBinding(1025, assignRandomHostPort: true)
                .WithPortBinding(1080, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(1080).ForPath("/healthz")))
                .Build();
            await container.StartAsync();
            return (container.Hostname, container.GetMappedPublicPort(1025), new Uri($"http://{container.Hostname}:{container.GetMappedPublicPort(1080)}/"));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"Mail tests need a real SMTP server with maildev's HTTP API: set {SmtpVariable}=host:port and " +
                $"{ApiVariable}=http://host:port/ (bash .ci/run starts one), or make a Docker engine reachable.", exception);
        }
    }
}

public sealed record ReceivedMail(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("html")] string? Html,
    [property: JsonPropertyName("to")] List<MailAddress> To)
{
    /// <summary>The first link in the text body that points at the provider's <c>Account/{page}</c>, as written.</summary>
    public Uri LinkTo(string page)
    {
        var match = Regex.Match(Text ?? "", $@"https?://\S+?/Account/{page}\?\S+");
        return match.Success ? new Uri(match.Value) : throw new InvalidOperationException($"No {page} link in: {Text}");
    }
}

public sealed record MailAddress([property: JsonPropertyName("address")] string Address);
