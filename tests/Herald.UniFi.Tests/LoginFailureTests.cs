using Herald.Testing;
using Herald.UniFi.Tests.FakeController;
using Microsoft.Extensions.Logging;

namespace Herald.UniFi.Tests;

public sealed class LoginFailureTests
{
    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs)]
    [InlineData(UniFiControllerKind.Classic)]
    public async Task InvalidCredentialsStopTheSourceAfterOneLoginAttempt(UniFiControllerKind kind)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind });
        await using var run = SourceRun.Start(fake.Options(o => o.Password = "wrong-password"));

        var ex = await Assert.ThrowsAsync<UniFiLoginException>(() => run.Run.WithTimeout());

        Assert.Equal(UniFiLoginFailure.InvalidCredentials, ex.Reason);
        Assert.True(ex.IsFatal);
        Assert.Contains("herald", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.LoginAttempts);
        Assert.Equal(UniFiSourceState.Stopped, run.Source.State);
        Assert.Equal(0, run.Source.Statistics.Reconnects);
        lock (run.Logger.Entries)
        {
            Assert.Contains(run.Logger.Entries, e => e.Level == LogLevel.Error && e.Id.Id == 5106);
            Assert.DoesNotContain(run.Logger.Entries, e => e.Message.Contains("wrong-password", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(UniFiControllerKind.UniFiOs, TwoFactorMode.Status499)]
    [InlineData(UniFiControllerKind.UniFiOs, TwoFactorMode.ErrorMessage)]
    [InlineData(UniFiControllerKind.Classic, TwoFactorMode.ErrorMessage)]
    public async Task RequiredTwoFactorAuthenticationStopsTheSourceWithAdvice(UniFiControllerKind kind, TwoFactorMode mode)
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { Kind = kind, TwoFactor = mode });
        await using var run = SourceRun.Start(fake.Options());

        var ex = await Assert.ThrowsAsync<UniFiLoginException>(() => run.Run.WithTimeout());

        Assert.Equal(UniFiLoginFailure.TwoFactorRequired, ex.Reason);
        Assert.Contains("local account", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.LoginAttempts);
        var stopped = run.History[^1];
        Assert.Equal(UniFiSourceState.Stopped, stopped.State);
        Assert.Equal(ex.Message, stopped.Reason);
    }

    [Fact]
    public async Task RateLimitedLoginWaitsTheLongestBackOffBeforeTryingAgain()
    {
        var longest = TimeSpan.FromMilliseconds(300);
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { RateLimitedLogins = 2 });
        await using var run = SourceRun.Start(fake.Options(o => o.ReconnectDelay = attempt => attempt == int.MaxValue ? longest : TimeSpan.FromMilliseconds(1)));

        await fake.NextConnectionAsync();

        var logins = fake.LoginTimes;
        Assert.Equal(3, logins.Count);
        Assert.True(logins[1] - logins[0] >= longest - TimeSpan.FromMilliseconds(30), $"Retried after {logins[1] - logins[0]}.");
        Assert.True(logins[2] - logins[1] >= longest - TimeSpan.FromMilliseconds(30), $"Retried after {logins[2] - logins[1]}.");
        var waits = run.History.Where(h => h.State == UniFiSourceState.Reconnecting).ToList();
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.Equal(longest, w.Delay));
        Assert.All(waits, w => Assert.Contains("429", w.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimitedLoginHonoursRetryAfter()
    {
        await using var fake = await FakeUniFiController.StartAsync(new FakeControllerSettings { RateLimitedLogins = 1, RetryAfterSeconds = 1 });
        await using var run = SourceRun.Start(fake.Options(o => o.ReconnectDelay = _ => TimeSpan.FromMilliseconds(1)));

        await fake.NextConnectionAsync();

        var logins = fake.LoginTimes;
        Assert.Equal(2, logins.Count);
        Assert.True(logins[1] - logins[0] >= TimeSpan.FromMilliseconds(950), $"Retried after {logins[1] - logins[0]}.");
        Assert.Equal(TimeSpan.FromSeconds(1), run.History.Single(h => h.State == UniFiSourceState.Reconnecting).Delay);
    }
}
