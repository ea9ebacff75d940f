using System.Net;
using IdentityProvider.Connect;

namespace IdentityProvider.Tests;

public sealed class PrivateNetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("64:ff9b::a00:5", true)]
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("2002:a00:5::1", true)]
    [InlineData("2002:808:808::1", false)]
    [InlineData("::10.0.0.5", true)]
    [InlineData("2001:0:4136:e378::1", true)]
    [InlineData("192.0.0.8", true)]
    [InlineData("198.18.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("192.169.0.1", false)]
    [InlineData("2001:4860:4860::8888", false)]
    [InlineData("::ffff:93.184.216.34", false)]
    public void IsPrivate_KnowsLoopbackPrivateLinkLocalAndSharedRanges(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)));
}
