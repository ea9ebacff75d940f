namespace IdentityProvider.LoadTest;

/// <summary>What one timed request got back: <see cref="Error"/> is null on success.</summary>
internal readonly record struct Answer(long ElapsedTicks, string? Error, string? RefreshToken = null)
{
    public bool Succeeded => Error is null;
}
