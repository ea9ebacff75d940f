using System.Text;
using IdentityProvider.Users;

namespace IdentityProvider.Tests;

public sealed class TotpTests
{
    private static readonly byte[] Rfc6238Key = Encoding.ASCII.GetBytes("12345678901234567890");

    // RFC 6238 appendix B, SHA-1 column.
    [Theory]
    [InlineData(59, "94287082")]
    [InlineData(1111111109, "07081804")]
    [InlineData(1111111111, "14050471")]
    [InlineData(1234567890, "89005924")]
    [InlineData(2000000000, "69279037")]
    [InlineData(20000000000, "65353130")]
    public void Compute_MatchesRfc6238TestVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Compute(Rfc6238Key, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), digits: 8));

    [Fact]
    public void Compute_SixDigits_AreTheLastSixOfTheEightDigitCode() =>
        Assert.Equal("287082", Totp.Compute(Rfc6238Key, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(59))));

    [Theory]
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")]
    [InlineData("gezdgnbvgy3tqojqgezdgnbvgy3tqojq")]
    public void DecodeBase32_Rfc4648Text_GivesTheKey(string text) =>
        Assert.Equal(Rfc6238Key, Totp.DecodeBase32(text));

    [Fact]
    public void DecodeBase32_NotBase32_IsNull() => Assert.Null(Totp.DecodeBase32("not base32!"));
}
