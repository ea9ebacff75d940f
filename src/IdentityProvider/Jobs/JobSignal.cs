namespace IdentityProvider.Jobs;

/// <summary>Lets a request wake the dispatcher of <typeparamref name="TJob"/> instead of waiting for its next poll.</summary>
public sealed class JobSignal<TJob> : IDisposable where TJob : QueuedJob
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken by a concurrent request.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
