using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// Stops a refresh after its token is redeemed and before any new token is stored, until <see cref="Release"/>,
/// so that a test can send another request into exactly that moment. Given to one provider through
/// <see cref="ProviderFactory.ConfigureServices"/>.
/// </summary>
public sealed class RefreshHold
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _armed;

    /// <summary>Holds the next refresh; the task completes once that refresh has redeemed its token and stopped.</summary>
    public Task HoldNextAsync()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _armed, reached);
        return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Release() => _released.TrySetResult();

    public void Register(IServiceCollection services) =>
        services.AddOpenIddict().AddServer(options => options.AddEventHandler<ProcessSignInContext>(handler => handler
            .UseInlineHandler(StopAsync)
            // After the redemption step, before OpenIddict generates (and stores) the first new token.
            .SetOrder(OpenIddictServerHandlers.GenerateAccessToken.Descriptor.Order - 1_000)));

    private async ValueTask StopAsync(ProcessSignInContext context)
    {
        if (context.Request.IsRefreshTokenGrantType() && Interlocked.Exchange(ref _armed, null) is { } reached)
        {
            reached.SetResult();
            await _released.Task;
        }
    }
}
