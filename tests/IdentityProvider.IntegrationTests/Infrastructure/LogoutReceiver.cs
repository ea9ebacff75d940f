using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// A real HTTP endpoint on loopback that plays an app's back-channel logout address: it records every
/// logout token POSTed to it, and can answer 503 to the next few to exercise the provider's retries.
/// </summary>
public sealed class LogoutReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _tokens = new();
    private int _failuresLeft;

    private LogoutReceiver(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = null!;

    /// <summary>Every logout token received so far.</summary>
    public IReadOnlyCollection<string> Tokens => _tokens;

    public static async Task<LogoutReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new LogoutReceiver(builder.Build());
        receiver._app.MapPost("/backchannel-logout", async (HttpContext context) =>
        {
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            var form = await context.Request.ReadFormAsync();
            receiver._tokens.Enqueue(form["logout_token"].ToString());
            return Results.Ok();
        });
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Uri = new Uri(new Uri(address), "/backchannel-logout");
        return receiver;
    }

    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Waits for a logout token that <paramref name="matches"/>.</summary>
    public async Task<string> WaitForTokenAsync(Func<string, bool> matches, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (_tokens.FirstOrDefault(matches) is { } token)
            {
                return token;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("No matching logout token arrived.");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
