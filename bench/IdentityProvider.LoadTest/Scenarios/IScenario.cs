namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>One kind of request; each concurrent slot of a row is a virtual user of its own.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>One of the row's <paramref name="concurrency"/> virtual users.</summary>
    Task<IVirtualUser> CreateUserAsync(Target target, int concurrency, CancellationToken cancellationToken);
}

/// <summary>Sends its next request as soon as the previous one has answered (a closed loop).</summary>
internal interface IVirtualUser : IDisposable
{
    void IDisposable.Dispose()
    {
    }

    /// <summary>Untimed work before a phase of the row starts (collecting authorization codes).</summary>
    Task PrepareAsync(TimeSpan phase, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The next timed request; null once the user has nothing left to send.</summary>
    Task<Answer?> SendAsync(CancellationToken cancellationToken);
}
