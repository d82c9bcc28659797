using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Herald.Client.Internal;

/// <summary>
/// The requests sent with a <c>ref</c> that wait for the server's answer, keyed by that ref. An answer echoes
/// the ref (docs/protocol.md), so the frame handler completes the request it belongs to; a lost connection
/// ends every request still waiting.
/// </summary>
internal sealed class PendingRequests
{
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);
    private long _nextRef;

    /// <summary>A ref no other request of this client has used: <c>c1</c>, <c>c2</c>, ...</summary>
    public string NextRef() => "c" + Interlocked.Increment(ref _nextRef).ToString(CultureInfo.InvariantCulture);

    /// <summary>Registers a request under <paramref name="reference"/>; its answer (or failure) completes the returned request.</summary>
    /// <param name="reference">The ref the request is sent with.</param>
    /// <param name="completeOnDisconnect">Whether a lost connection completes it successfully rather than failing it.</param>
    public PendingRequest Add(string reference, bool completeOnDisconnect)
    {
        var pending = new PendingRequest(new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously), completeOnDisconnect);
        _pending[reference] = pending;
        return pending;
    }

    /// <summary>Forgets the request sent with <paramref name="reference"/>, answered or not.</summary>
    public void Remove(string reference) => _pending.TryRemove(reference, out _);

    /// <summary>Completes the request whose ref <paramref name="frame"/> echoes with a copy of the frame; false when it names none.</summary>
    public bool TryComplete(JsonElement frame)
    {
        if (!TryTake(frame, out var pending))
        {
            return false;
        }

        pending.Answer.TrySetResult(frame.Clone());
        return true;
    }

    /// <summary>Fails the request whose ref <paramref name="frame"/> echoes with <paramref name="error"/>; false when it names none.</summary>
    public bool TryFail(JsonElement frame, Exception error)
    {
        if (!TryTake(frame, out var pending))
        {
            return false;
        }

        pending.Answer.TrySetException(error);
        return true;
    }

    /// <summary>Ends every request still waiting for an answer: the connection that would carry it is gone.</summary>
    public void FailAll()
    {
        foreach (var (reference, pending) in _pending)
        {
            if (_pending.TryRemove(reference, out _))
            {
                if (pending.CompleteOnDisconnect)
                {
                    pending.Answer.TrySetResult(default);
                }
                else
                {
                    pending.Answer.TrySetException(new HeraldClientException("The connection to the Herald server was lost before it answered.", "connection_lost", null, null));
                }
            }
        }
    }

    private bool TryTake(JsonElement frame, [NotNullWhen(true)] out PendingRequest? pending)
    {
        if (frame.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.String)
        {
            return _pending.TryRemove(r.GetString()!, out pending);
        }

        pending = null;
        return false;
    }
}
