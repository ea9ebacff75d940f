using IdentityProvider.Security;

namespace IdentityProvider.Tests;

public sealed class InProcessRateLimitCountersTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task RequestsSentAtOnce_NeverGetMorePermitsThanTheLimit()
    {
        var counters = new InProcessRateLimitCounters(TimeProvider.System);
        var limit = new RateLimitCounters.Limit("address", 5);

        var counts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => counters.TakeAsync([limit], Window, default))));

        Assert.Equal(5, counts.Count(count => count[0].Allowed));
    }

    [Fact]
    public async Task APermitGivenBack_LetsOneMoreRequestThrough_EvenAfterRefusals()
    {
        var counters = new InProcessRateLimitCounters(TimeProvider.System);
        var limit = new RateLimitCounters.Limit("budget", 2);
        var first = (await counters.TakeAsync([limit], Window, default))[0];
        await counters.TakeAsync([limit], Window, default);
        var refused = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => counters.TakeAsync([limit], Window, default)));

        await counters.GiveBackAsync(first, default);
        var afterGiveBack = (await counters.TakeAsync([limit], Window, default))[0];
        var afterThat = (await counters.TakeAsync([limit], Window, default))[0];

        Assert.All(refused, count => Assert.False(count[0].Allowed));
        Assert.True(afterGiveBack.Allowed);
        Assert.False(afterThat.Allowed);
    }

    [Fact]
    public async Task EachLimitCountsApart_AndAnEndedWindowStartsAgain()
    {
        var clock = new MovableClock();
        var counters = new InProcessRateLimitCounters(clock);
        var small = new RateLimitCounters.Limit("account", 1);
        var large = new RateLimitCounters.Limit("address", 10);

        var firstRequest = await counters.TakeAsync([small, large], Window, default);
        var secondRequest = await counters.TakeAsync([small, large], Window, default);
        clock.Now += Window;
        var nextWindow = await counters.TakeAsync([small, large], Window, default);

        Assert.Equal((true, true), (firstRequest[0].Allowed, firstRequest[1].Allowed));
        Assert.Equal((false, true), (secondRequest[0].Allowed, secondRequest[1].Allowed));
        Assert.Equal(firstRequest[0].WindowEnds, secondRequest[0].WindowEnds);
        Assert.True(nextWindow[0].Allowed);
        Assert.Equal(clock.Now + Window, nextWindow[0].WindowEnds);
    }
}
