using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Herald.Benchmarks.Servers;

/// <summary>The raw server's hub: serializes each event once and queues the same bytes to every subscriber of its topic.</summary>
public sealed class RawBroadcaster : IDisposable
{
    private static readonly byte[] Welcome = "{\"type\":\"welcome\"}"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":\"ping\"}"u8.ToArray();
    private static readonly byte[] EventPrefix = "{\"type\":\"event\",\"data\":"u8.ToArray();

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<RawConnection, bool>> _topics = new();
    private readonly Timer _heartbeat;

    public RawBroadcaster(TimeSpan heartbeat)
    {
        _heartbeat = new Timer(_ => BroadcastToAll(Ping), null, heartbeat, heartbeat);
    }

    public async Task RunAsync(WebSocket socket, string topic)
    {
        var connection = new RawConnection(socket);
        var subscribers = _topics.GetOrAdd(topic, _ => new ConcurrentDictionary<RawConnection, bool>());
        subscribers.TryAdd(connection, true);
        connection.Enqueue(Welcome);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            subscribers.TryRemove(connection, out _);
        }
    }

    /// <summary>Publishes one payload (a JSON value) or, for an array body, each element, to a topic's subscribers.</summary>
    public void Publish(string topic, byte[] body)
    {
        if (!_topics.TryGetValue(topic, out var subscribers))
        {
            return;
        }
        if (body.Length > 0 && body[0] == (byte)'[')
        {
            using var document = JsonDocument.Parse(body);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                Broadcast(subscribers, Frame(Encoding.UTF8.GetBytes(element.GetRawText())));
            }
            return;
        }
        Broadcast(subscribers, Frame(body));
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
    }

    private void BroadcastToAll(byte[] frame)
    {
        foreach (var subscribers in _topics.Values)
        {
            Broadcast(subscribers, frame);
        }
    }

    private static void Broadcast(ConcurrentDictionary<RawConnection, bool> subscribers, byte[] frame)
    {
        foreach (var connection in subscribers.Keys)
        {
            connection.Enqueue(frame);
        }
    }

    private static byte[] Frame(byte[] payload)
    {
        var frame = new byte[EventPrefix.Length + payload.Length + 1];
        EventPrefix.CopyTo(frame, 0);
        payload.CopyTo(frame, EventPrefix.Length);
        frame[^1] = (byte)'}';
        return frame;
    }
}
