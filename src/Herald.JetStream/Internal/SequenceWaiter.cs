namespace Herald.JetStream.Internal;

/// <summary>Lets callers wait until a reader has reached a stream sequence.</summary>
internal sealed class SequenceWaiter
{
    private readonly Lock _lock = new();
    private readonly List<(ulong Sequence, TaskCompletionSource Reached)> _waiting = [];
    private ulong _reached;

    /// <summary>The reader reached <paramref name="sequence"/>.</summary>
    public void Advance(ulong sequence)
    {
        lock (_lock)
        {
            _reached = Math.Max(_reached, sequence);
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (_waiting[i].Sequence <= _reached)
                {
                    _waiting[i].Reached.TrySetResult();
                    _waiting.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once the reader has reached <paramref name="sequence"/>.</summary>
    public Task WaitAsync(ulong sequence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_reached >= sequence)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((sequence, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }
}
