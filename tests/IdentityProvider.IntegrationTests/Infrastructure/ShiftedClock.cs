namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>The real clock moved forward by <see cref="Offset"/>, to cross lifetimes without waiting.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
