namespace IdentityProvider.Tests;

/// <summary>A clock that stands still until a test moves it.</summary>
internal sealed class MovableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
