using Herald.Testing;
using Microsoft.Extensions.Logging;

namespace Herald.Client.Tests;

public sealed class BackgroundRunnerTests
{
    [Fact]
    public async Task RunsTheLoopOnItsOwnThreadAndStopCancelsAndJoinsIt()
    {
        using var runner = new BackgroundRunner("test-loop");
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Start(async token =>
        {
            started.TrySetResult(Environment.CurrentManagedThreadId);
            await Task.Delay(Timeout.Infinite, token);
        });

        var threadId = await started.Task.WithTimeout();
        Assert.NotEqual(Environment.CurrentManagedThreadId, threadId);
        Assert.True(runner.IsRunning);

        Assert.True(runner.Stop(Timeouts.Default));
        Assert.False(runner.IsRunning);
    }

    [Fact]
    public async Task TheLoopsContinuationsRunOnTheRunnersThread()
    {
        using var runner = new BackgroundRunner("test-loop");
        var threads = new TaskCompletionSource<(int Before, int After)>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Start(async token =>
        {
            var before = Environment.CurrentManagedThreadId;
            await Task.Delay(10, token);
            threads.TrySetResult((before, Environment.CurrentManagedThreadId));
            await Task.Delay(Timeout.Infinite, token);
        });

        var (before, after) = await threads.Task.WithTimeout();

        Assert.Equal(before, after);
        Assert.True(runner.Stop(Timeouts.Default));
    }

    [Fact]
    public async Task ACrashInTheLoopIsLoggedAndTheLoopRestartedAfterABackOff()
    {
        var logger = new ListLogger();
        using var runner = new BackgroundRunner("crashy", logger, new ReconnectPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)));
        var runs = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Start(async token =>
        {
            if (Interlocked.Increment(ref runs) < 3)
            {
                await Task.Yield();
                throw new InvalidOperationException("boom");
            }

            third.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        });

        await third.Task.WithTimeout();

        Assert.Equal(2, runner.Crashes);
        Assert.IsType<InvalidOperationException>(runner.LastError);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Error && e.Id.Id == 4051 && e.Exception is InvalidOperationException));
        Assert.True(runner.IsRunning);
        Assert.True(runner.Stop(Timeouts.Default));
    }

    [Fact]
    public async Task TheBackgroundClientIsRunningOnlyWhileItsThreadLivesAndTheSocketIsConnected()
    {
        await using var server = await TestServers.StartAsync();
        using var background = new HeraldBackgroundClient(TestServers.Options(server));
        Assert.False(background.IsRunning);

        background.Start();
        await Timeouts.Until(() => background.IsRunning, "the background client connected");
        var ids = await background.Client.PublishAsync([new OutgoingEvent("t", "x", Json.Of("1")), new OutgoingEvent("t", "x", Json.Of("2"))], TestServers.Bounded());
        var drained = new List<ClientEvent>();
        await Timeouts.Until(
            () =>
            {
                drained.AddRange(background.Drain());
                return drained.Count >= 2;
            },
            "both events were drained");
        Assert.Equal(ids, drained.Select(e => e.Id));

        Assert.True(background.Stop(Timeouts.Default));
        Assert.False(background.IsRunning);
        Assert.Equal(HeraldConnectionState.Closed, background.Client.State);
    }

    [Fact]
    public async Task TheBackgroundClientIsNotRunningWhileTheServerIsAway()
    {
        await using var server = await TestServers.StartAsync();
        var options = TestServers.Options(server);
        options.ServerUri = new Uri("http://127.0.0.1:1");
        using var background = new HeraldBackgroundClient(options);

        background.Start();
        await Timeouts.Until(() => background.Client.State == HeraldConnectionState.Reconnecting, "the client is retrying");

        Assert.False(background.IsRunning);
        Assert.True(background.Stop(Timeouts.Default));
    }
}
