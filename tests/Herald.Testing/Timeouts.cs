namespace Herald.Testing;

/// <summary>Bounds for every await in the tests, so a hang fails fast instead of stalling the run.</summary>
public static class Timeouts
{
    /// <summary>The default bound for one expected thing to happen: 10 seconds.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    /// <summary>A bound for long operations such as large replays: 60 seconds.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    /// <summary>Awaits <paramref name="task"/>, failing after <paramref name="timeout"/> (default <see cref="Default"/>).</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    /// <summary>Awaits <paramref name="task"/>, failing after <paramref name="timeout"/> (default <see cref="Default"/>).</summary>
    public static Task WithTimeout(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    /// <summary>Polls an asynchronous <paramref name="condition"/> (an HTTP request, say) until it holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (!await condition().WaitAsync(timeout ?? Default))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; for state with no event to await (counts, metrics).</summary>
    public static async Task Until(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }
}
