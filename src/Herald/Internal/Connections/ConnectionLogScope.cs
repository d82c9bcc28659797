namespace Herald.Internal.Connections;

/// <summary>
/// The log scope of a connection's lines: <c>ConnectionId</c>, <c>SessionId</c>, <c>RequestId</c> and <c>Transport</c>.
/// Made when a line is logged, not held for the connection's life, so an idle connection costs nothing for it.
/// </summary>
internal sealed class ConnectionLogScope(HeraldConnection connection) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ConnectionId", connection.Id),
        1 => new("SessionId", connection.SessionId),
        2 => new("RequestId", connection.RequestId),
        3 => new("Transport", connection.TransportName),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"Connection {connection.Id} (session {connection.SessionId}, request {connection.RequestId}, {connection.TransportName})";
}
