using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Herald.Benchmarks.Servers;

/// <summary>The raw server's hub: serializes each event once and queues the same bytes to every connection.</summary>
public sealed class RawBroadcaster : IDisposable
{
    private static readonly byte[] Welcome = "{\"type\":\"welcome\"}"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":\"ping\"}"u8.ToArray();
    private static readonly byte[] EventPrefix = "{\"type\":\"event\",\"data\":"u8.ToArray();

    private readonly ConcurrentDictionary<RawConnection, bool> _connections = new();
    private readonly Timer _heartbeat;

    public RawBroadcaster(TimeSpan heartbeat)
    {
        _heartbeat = new Timer(_ => Broadcast(Ping), null, heartbeat, heartbeat);
    }

    public int Count => _connections.Count;

    public async Task RunAsync(WebSocket socket)
    {
        var connection = new RawConnection(socket);
        _connections.TryAdd(connection, true);
        connection.Enqueue(Welcome);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Publishes one payload (a JSON value) or, for an array body, each element.</summary>
    public void Publish(byte[] body)
    {
        if (body.Length > 0 && body[0] == (byte)'[')
        {
            using var document = JsonDocument.Parse(body);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                Broadcast(Frame(Encoding.UTF8.GetBytes(element.GetRawText())));
            }
            return;
        }
        Broadcast(Frame(body));
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
    }

    private void Broadcast(byte[] frame)
    {
        foreach (var connection in _connections.Keys)
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
