using System.Net;
using IdentityProvider.Security;

namespace IdentityProvider.Tests;

public sealed class RateLimitAddressTests
{
    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    public void AddressGroup_CountsAnIpv6NetworkByIts64AndIpv4AsItIs(string address, string group) =>
        Assert.Equal(group, RateLimiting.AddressGroup(IPAddress.Parse(address)));

    [Fact]
    public void AddressGroup_WithoutAnAddress_IsOneGroup() => Assert.Equal("unknown", RateLimiting.AddressGroup(null));
}
