using Herald.Internal;
using Herald.Testing;

namespace Herald.Tests;

/// <summary>A loop on its own thread keeps coming back to that thread, and its task reports how the loop ended.</summary>
public sealed class LoopThreadTests
{
    [Fact]
    public async Task LoopResumesOnItsOwnThreadAfterAwaitsCompletedElsewhere()
    {
        var threads = new List<Thread>();
        var onPool = true;
        var signals = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var loop = LoopThread.Run("test loop", async () =>
        {
            threads.Add(Thread.CurrentThread);
            onPool = Thread.CurrentThread.IsThreadPoolThread;
            foreach (var signal in signals)
            {
                await signal.Task.ConfigureAwait(true);
                threads.Add(Thread.CurrentThread);
            }

            await Task.Delay(1).ConfigureAwait(true);
            threads.Add(Thread.CurrentThread);
        });

        foreach (var signal in signals)
        {
            // Completed from a thread-pool thread, as a publisher would.
            await Task.Run(signal.SetResult);
        }

        await loop.WithTimeout();
        Assert.Equal(5, threads.Count);
        Assert.All(threads, t => Assert.Same(threads[0], t));
        Assert.Equal("test loop", threads[0].Name);
        Assert.False(onPool);
    }

    [Fact]
    public async Task LoopTaskCarriesTheExceptionThatEndedTheLoop()
    {
        var loop = LoopThread.Run("failing loop", async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("broken store");
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WithTimeout());
        Assert.Equal("broken store", error.Message);
    }

    [Fact]
    public async Task LoopTaskCarriesAnExceptionThrownBeforeTheFirstAwait()
    {
        var loop = LoopThread.Run("failing loop", () => throw new InvalidOperationException("at once"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WithTimeout());
        Assert.Equal("at once", error.Message);
    }

    [Fact]
    public async Task WorkPostedAfterTheLoopEndedStillRuns()
    {
        SynchronizationContext? context = null;
        await LoopThread.Run("short loop", () =>
        {
            context = SynchronizationContext.Current;
            return Task.CompletedTask;
        }).WithTimeout();

        Assert.NotNull(context);
        var ran = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Post(_ => ran.SetResult(Thread.CurrentThread.IsThreadPoolThread), null);
        Assert.True(await ran.Task.WithTimeout());
    }
}
