using IdentityProvider.Clients;

namespace IdentityProvider.Tests;

public sealed class VerifiedClientSecretsTests
{
    [Fact]
    public void AVerifiedSecret_IsRememberedOnlyForTheStoredHashItWasCheckedAgainst()
    {
        var verified = new VerifiedClientSecrets(TimeProvider.System);

        verified.Add("the-secret", "stored-hash");

        Assert.True(verified.Contains("the-secret", "stored-hash"));
        Assert.False(verified.Contains("the-secret", "new-stored-hash"));
        Assert.False(verified.Contains("another-secret", "stored-hash"));
        Assert.False(verified.Contains("the-secret\0stored", "hash"));
    }

    [Fact]
    public void AVerifiedSecret_IsForgottenAfterTenMinutes()
    {
        var clock = new MovableClock();
        var verified = new VerifiedClientSecrets(clock);
        verified.Add("the-secret", "stored-hash");

        clock.Now += TimeSpan.FromMinutes(9);
        var before = verified.Contains("the-secret", "stored-hash");
        clock.Now += TimeSpan.FromMinutes(2);

        Assert.True(before);
        Assert.False(verified.Contains("the-secret", "stored-hash"));
    }
}
