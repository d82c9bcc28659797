using System.Net.WebSockets;
using System.Text.Json;

namespace Herald.Testing;

/// <summary>
/// Reads protocol frames straight off a socket without keeping them, for tests that move many events.
/// The callback sees each frame's type and, for events, the id; it returns false to stop.
/// </summary>
public static class EventReader
{
    /// <summary>Reads frames until <paramref name="onFrame"/> returns false, the socket closes, or <paramref name="timeout"/> passes.</summary>
    public static async Task ReadAsync(WebSocket socket, Func<string, long, JsonElement, bool> onFrame, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("Frames stopped arriving before the test had what it waited for.");
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            using var document = JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length));
            message.SetLength(0);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString()!;
            var id = type == "event" ? root.GetProperty("data").GetProperty("id").GetInt64() : 0;
            if (!onFrame(type, id, root))
            {
                return;
            }
        }
    }
}
