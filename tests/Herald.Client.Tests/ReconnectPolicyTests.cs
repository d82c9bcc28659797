namespace Herald.Client.Tests;

public sealed class ReconnectPolicyTests
{
    [Fact]
    public void DelaysDoubleFromTheMinimumUpToTheMaximum()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0);

        var delays = Enumerable.Range(0, 8).Select(_ => policy.NextDelay().TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
        Assert.Equal(8, policy.Attempts);
    }

    [Fact]
    public void JitterOnlyShortensADelayByAtMostItsFraction()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), jitter: 0.5);

        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayFor(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayFor(1, 1));
        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(policy.NextDelay(), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void ResetStartsAgainFromTheMinimumAndMaxAttemptsBoundsRetries()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), jitter: 0, maxAttempts: 2);
        policy.NextDelay();
        policy.NextDelay();
        Assert.False(policy.CanRetry);

        policy.Reset();

        Assert.True(policy.CanRetry);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.NextDelay());
    }

    [Fact]
    public void DefaultsAreOneSecondToThirtySecondsUnlimited()
    {
        var policy = new ReconnectPolicy();

        Assert.Equal(TimeSpan.FromSeconds(1), policy.MinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.MaxDelay);
        Assert.Null(policy.MaxAttempts);
    }

    [Fact]
    public void InvalidOptionsAreRefusedWhenTheClientIsCreated()
    {
        var options = new HeraldClientOptions { ReconnectMinDelay = TimeSpan.Zero, PinnedCertificateThumbprint = "abc", BufferCapacity = 0 };

        var error = Assert.Throws<ArgumentException>(() => new HeraldClient(options));

        Assert.Contains("ReconnectMinDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("PinnedCertificateThumbprint", error.Message, StringComparison.Ordinal);
        Assert.Contains("BufferCapacity", error.Message, StringComparison.Ordinal);
    }
}
