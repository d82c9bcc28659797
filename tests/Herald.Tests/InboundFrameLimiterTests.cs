using Herald.Internal.Transports;
using Herald.Testing;

namespace Herald.Tests;

/// <summary>A connection's frame budget: a burst, then refusals, and abuse once the refusals pile up within the window.</summary>
public sealed class InboundFrameLimiterTests
{
    private static readonly HeraldOptions Options = new() { ClientFrameRate = 1, ClientFrameBurst = 2, MaxRateLimitedFrames = 3, RateLimitWindow = TimeSpan.FromSeconds(10) };

    [Fact]
    public void TheBurstIsAcceptedThenFramesAreRefusedAndTheNthRefusalWithinTheWindowIsAbuse()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        using var limiter = new InboundFrameLimiter(InboundFrameLimiter.Bucket(Options)!, Options, clock);

        Assert.Equal(FrameAdmission.Accepted, limiter.Admit());
        Assert.Equal(FrameAdmission.Accepted, limiter.Admit());
        Assert.Equal(FrameAdmission.Refused, limiter.Admit());
        Assert.Equal(FrameAdmission.Refused, limiter.Admit());

        // Refusals further apart than the window never add up to abuse.
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(FrameAdmission.Refused, limiter.Admit());
        Assert.Equal(FrameAdmission.Refused, limiter.Admit());
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(FrameAdmission.Abusive, limiter.Admit());
    }

    [Fact]
    public void ARateOfZeroMeansNoBucket()
        => Assert.Null(InboundFrameLimiter.Bucket(new HeraldOptions { ClientFrameRate = 0 }));
}
