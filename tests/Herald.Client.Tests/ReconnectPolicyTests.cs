namespace Herald.Client.Tests;

public sealed class ReconnectPolicyTests
{
    [Fact]
    public void Delays_double_from_the_minimum_up_to_the_maximum()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0);

        var delays = Enumerable.Range(0, 8).Select(_ => policy.NextDelay().TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
        Assert.Equal(8, policy.Attempts);
    }

    [Fact]
    public void Jitter_only_shortens_a_delay_by_at_most_its_fraction()
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
    public void Reset_starts_again_from_the_minimum_and_max_attempts_bounds_retries()
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
    public void Defaults_are_one_second_to_thirty_seconds_unlimited()
    {
        var policy = new ReconnectPolicy();

        Assert.Equal(TimeSpan.FromSeconds(1), policy.MinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.MaxDelay);
        Assert.Null(policy.MaxAttempts);
    }

    [Fact]
    public void Invalid_options_are_refused_when_the_client_is_created()
    {
        var options = new HeraldClientOptions { ReconnectMinDelay = TimeSpan.Zero, PinnedCertificateThumbprint = "abc", BufferCapacity = 0 };

        var error = Assert.Throws<ArgumentException>(() => new HeraldClient(options));

        Assert.Contains("ReconnectMinDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("PinnedCertificateThumbprint", error.Message, StringComparison.Ordinal);
        Assert.Contains("BufferCapacity", error.Message, StringComparison.Ordinal);
    }
}
