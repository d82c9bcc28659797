using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Herald.Benchmarks.Load;
using Herald.Benchmarks.Servers;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// Publishes numbered, timestamped events from one thread over several keep-alive connections, as wrk drives its
/// connections: each connection has one request in flight; a poll over all of them reads the answers. On schedule
/// (a rate) a request is sent when it is due and a connection is free, so a server that answers slowly sees the rate
/// it was offered until every connection waits on it (the run's pace then says how far the sending fell behind). In a closed
/// loop each connection resends the same request as soon as it is answered (ingest). The load this puts on the
/// machine's cores is small, so the server, not the publisher, sets the measured rate.
/// </summary>
public sealed class Publisher : IDisposable
{
    private const string PublisherTopic = "bench-publishers";
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);

    private readonly ServerKind _kind;
    private readonly PublishChannel _channel;
    private readonly IReadOnlyList<Uri> _targets;
    private readonly int _connectionCount;
    private readonly List<Connection> _connections = [];
    private readonly byte[] _scratch = new byte[256 * 1024];

    /// <summary>A publisher of <paramref name="connections"/> connections spread over <paramref name="targets"/> (several Herald nodes).</summary>
    public Publisher(ServerKind kind, IReadOnlyList<Uri> targets, int connections, PublishChannel channel)
    {
        _kind = kind;
        _channel = channel;
        _targets = targets;
        _connectionCount = connections;
    }

    /// <summary>The usual way to publish to a server: HTTP, or core NATS for nats-server.</summary>
    public static Publisher For(ServerProcess server, int connections = OnScheduleConnections)
        => new(server.Kind, [server.PublishUrl], server.Kind == ServerKind.Nats ? 1 : connections, server.Kind == ServerKind.Nats ? PublishChannel.Nats : PublishChannel.Http);

    /// <summary>
    /// Connections for publishing on schedule: enough that a slow answer never lowers the rate offered. A reference
    /// answers only after its fan-out; Herald on SQLite answers once the event is committed, so at most this many
    /// publishes wait on one fsync (group commit) and its rate bound is this many ÷ the fsync time.
    /// </summary>
    public const int OnScheduleConnections = 64;

    /// <summary>The next sequence number: events published so far.</summary>
    public long Published { get; private set; }

    /// <summary>Herald: the highest event id acknowledged.</summary>
    public long LastId { get; private set; }

    public Task<PublishRun> RunAsync(PublishPlan plan)
        => Task.Factory.StartNew(() => Run(plan), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Publishes one event and waits for it to be taken.</summary>
    public async Task PublishOneAsync()
    {
        var run = await RunAsync(new PublishPlan { Rate = 1000, Count = 1 });
        if (run.Errors > 0)
        {
            throw new InvalidOperationException("publish failed: " + run.FirstError);
        }
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Socket.Dispose();
        }
        _connections.Clear();
    }

    private PublishRun Run(PublishPlan plan)
    {
        var latency = new LatencyHistogram();
        var perTopic = new long[Math.Max(1, plan.Topics)];
        string? firstError = null;
        long errors = 0;
        var closedLoop = plan.Rate is null;
        var batch = Math.Max(1, plan.Batch);
        var totalRequests = closedLoop ? long.MaxValue
            : plan.Count is { } count ? (count + batch - 1) / batch
            : (long)Math.Round(plan.Rate!.Value * plan.Duration.TotalSeconds / batch);
        var secondsPerRequest = closedLoop ? 0 : batch / plan.Rate!.Value;
        try
        {
            Open();
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return new PublishRun { Elapsed = TimeSpan.FromMilliseconds(1), Events = 0, Errors = 1, EventsPerTopic = perTopic, Latency = latency, FirstError = ex.Message };
        }

        // A closed loop sends the same request again and again, as wrk does.
        var fixedRequest = closedLoop ? Build(Published, batch, plan, perTopic) : null;
        var free = new Queue<Connection>(_connections);
        var clock = Stopwatch.StartNew();
        long requests = 0;
        long events = 0;
        var lastSent = TimeSpan.Zero;
        var lastProgress = TimeSpan.Zero;
        var readable = new List<Socket>(_connections.Count);
        while (true)
        {
            var now = clock.Elapsed;
            var sending = closedLoop ? now < plan.Duration : requests < totalRequests;
            while (sending && free.Count > 0 && (closedLoop || TimeSpan.FromSeconds(requests * secondsPerRequest) <= now))
            {
                var connection = free.Dequeue();
                var request = fixedRequest ?? Build(Published + (requests * batch), batch, plan, perTopic);
                if (!Send(connection, request, ref errors, ref firstError))
                {
                    if (_connections.Contains(connection))
                    {
                        free.Enqueue(connection);
                    }
                    continue;
                }
                requests++;
                lastSent = clock.Elapsed;
                if (_channel == PublishChannel.Nats)
                {
                    // Core NATS does not answer a PUB: the connection is free at once, and the events count as sent.
                    events += batch;
                    free.Enqueue(connection);
                }
                sending = closedLoop ? now < plan.Duration : requests < totalRequests;
            }
            var busy = _connections.Count(c => c.Busy);
            if (!sending && (busy == 0 || closedLoop))
            {
                break;
            }
            if (_connections.Count == 0 || now - lastProgress > Stall)
            {
                errors += busy;
                firstError ??= "no answer for " + Stall.TotalSeconds + " s";
                break;
            }

            var waitMicros = sending && !closedLoop && free.Count > 0
                ? (int)Math.Clamp((TimeSpan.FromSeconds(requests * secondsPerRequest) - clock.Elapsed).TotalMicroseconds, 0, 50_000)
                : 50_000;
            readable.Clear();
            readable.AddRange(_connections.Select(c => c.Socket));
            if (waitMicros > 0 || busy > 0)
            {
                Socket.Select(readable, null, null, waitMicros);
            }
            else
            {
                readable.Clear();
            }
            foreach (var socket in readable)
            {
                var connection = _connections.First(c => c.Socket == socket);
                var answered = Receive(connection, latency, ref errors, ref firstError);
                if (answered > 0)
                {
                    lastProgress = clock.Elapsed;
                    if (!closedLoop || clock.Elapsed < plan.Duration)
                    {
                        events += (long)answered * batch;
                    }
                }
                if (!connection.Busy && _connections.Contains(connection) && !free.Contains(connection))
                {
                    free.Enqueue(connection);
                }
            }
            if (sending && _channel == PublishChannel.Nats)
            {
                lastProgress = clock.Elapsed;
            }
        }
        var elapsed = clock.Elapsed;
        if (closedLoop)
        {
            // Answers still in flight are not counted; read them so the connections are clean for the next run.
            DrainInFlight(latency);
            Published += batch;
        }
        else
        {
            Published += requests * batch;
        }
        if (_channel == PublishChannel.Nats && !Flush())
        {
            errors++;
            firstError ??= "nats-server did not answer PING";
        }
        if (_channel == PublishChannel.Nats)
        {
            elapsed = clock.Elapsed;
        }
        // The last request was due at (n-1) × interval; sent then, the pace is 1.
        var pace = closedLoop || requests == 0 ? double.NaN
            : Math.Min(1, (requests * secondsPerRequest) / (lastSent.TotalSeconds + secondsPerRequest));
        return new PublishRun { Elapsed = elapsed, Events = events, Errors = errors, EventsPerTopic = perTopic, Latency = latency, FirstError = firstError, LastSent = lastSent, Pace = pace };
    }

    private static string TopicName(long seq, int topics)
        => topics <= 1 ? "bench" : "t" + (seq % topics).ToString(CultureInfo.InvariantCulture);

    /// <summary>The request for events <paramref name="firstSeq"/>… as the channel and server expect it.</summary>
    private byte[] Build(long firstSeq, int batch, PublishPlan plan, long[] perTopic)
    {
        var topic = TopicName(firstSeq, plan.Topics);
        var body = new StringBuilder();
        if (batch > 1)
        {
            body.Append('[');
        }
        var nats = new StringBuilder();
        for (var i = 0; i < batch; i++)
        {
            var seq = firstSeq + i;
            var eventTopic = _kind == ServerKind.Herald || _channel == PublishChannel.Nats ? TopicName(seq, plan.Topics) : topic;
            perTopic[plan.Topics <= 1 ? 0 : seq % plan.Topics]++;
            var payload = Payload.Create(seq, plan.PayloadBytes);
            if (_channel == PublishChannel.Nats)
            {
                nats.Append("PUB ").Append(eventTopic).Append(' ').Append(payload.Length).Append("\r\n").Append(payload).Append("\r\n");
                continue;
            }
            if (i > 0)
            {
                body.Append(',');
            }
            if (_kind == ServerKind.Herald)
            {
                body.Append("{\"topic\":\"").Append(eventTopic).Append("\",\"type\":\"t\",\"data\":").Append(payload).Append('}');
            }
            else
            {
                body.Append(payload);
            }
        }
        if (_channel == PublishChannel.Nats)
        {
            return Encoding.ASCII.GetBytes(nats.ToString());
        }
        if (batch > 1)
        {
            body.Append(']');
        }
        if (_channel == PublishChannel.WebSocket)
        {
            return WebSocketFrames.Client("{\"type\":\"publish\",\"data\":" + body + "}");
        }
        var content = Encoding.UTF8.GetBytes(body.ToString());
        var path = _kind == ServerKind.Herald ? "/api/events" : "/publish?topic=" + topic;
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {_targets[0].Authority}\r\nContent-Type: application/json\r\nContent-Length: {content.Length}\r\n\r\n");
        return [.. head, .. content];
    }

    private void Open()
    {
        for (var i = _connections.Count; i < _connectionCount; i++)
        {
            _connections.Add(Connect(_targets[i % _targets.Count]));
        }
    }

    private Connection Connect(Uri target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(target.Host, target.Port);
            var connection = new Connection(socket, target);
            if (_channel == PublishChannel.WebSocket)
            {
                socket.Send(WebSocketFrames.UpgradeRequest(target.Authority, "/ws/events?topics=" + PublisherTopic));
                while (connection.Pending.Span.IndexOf("\r\n\r\n"u8) < 0)
                {
                    ReadSome(connection);
                }
                var head = connection.Pending.Span;
                if (!head.StartsWith("HTTP/1.1 101"u8))
                {
                    throw new IOException("the WebSocket upgrade was refused: " + Encoding.ASCII.GetString(head[..head.IndexOf("\r\n"u8)]));
                }
                connection.Pending.Consume(head.IndexOf("\r\n\r\n"u8) + 4);
            }
            else if (_channel == PublishChannel.Nats)
            {
                socket.Send("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"herald-bench-publisher\"}\r\n"u8);
            }
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool Send(Connection connection, byte[] request, ref long errors, ref string? firstError)
    {
        try
        {
            connection.SentAt = Stopwatch.GetTimestamp();
            connection.Busy = _channel != PublishChannel.Nats;
            connection.Socket.Send(request);
            return true;
        }
        catch (SocketException ex)
        {
            errors++;
            firstError ??= ex.Message;
            Replace(connection, ref firstError);
            return false;
        }
    }

    /// <summary>Reads what arrived and counts whole answers; a broken connection is replaced.</summary>
    private int Receive(Connection connection, LatencyHistogram latency, ref long errors, ref string? firstError)
    {
        try
        {
            if (ReadSome(connection) == 0)
            {
                throw new IOException("the server closed the connection");
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            if (connection.Busy)
            {
                errors++;
                firstError ??= ex.Message;
            }
            Replace(connection, ref firstError);
            return 0;
        }

        var answered = 0;
        while (TryTakeAnswer(connection, out var ok, out var error))
        {
            if (!connection.Busy)
            {
                continue;
            }
            connection.Busy = false;
            latency.Record((long)Payload.ElapsedMicros(connection.SentAt, Stopwatch.GetTimestamp()));
            if (ok)
            {
                answered++;
            }
            else
            {
                errors++;
                firstError ??= error;
            }
        }
        return answered;
    }

    private int ReadSome(Connection connection)
    {
        var read = connection.Socket.Receive(_scratch);
        connection.Pending.Append(_scratch.AsSpan(0, read));
        return read;
    }

    /// <summary>Takes one answer off the connection's bytes: an HTTP response, a published/error frame, or a NATS PONG.</summary>
    private bool TryTakeAnswer(Connection connection, out bool ok, out string? error)
    {
        ok = false;
        error = null;
        var pending = connection.Pending;
        while (true)
        {
            var data = pending.Span;
            switch (_channel)
            {
                case PublishChannel.Http:
                    if (!HttpResponseReader.TryRead(data, out var consumed, out var status))
                    {
                        return false;
                    }
                    ok = status is >= 200 and < 300;
                    error = ok ? null : "status " + status + ": " + Encoding.UTF8.GetString(data[..Math.Min(consumed, 300)]);
                    if (ok)
                    {
                        NoteIds(data[..consumed]);
                    }
                    pending.Consume(consumed);
                    return true;
                case PublishChannel.WebSocket:
                    if (!WebSocketFrames.TryReadHeader(data, out var headerLength, out var payloadLength, out _, out _) || data.Length - headerLength < payloadLength)
                    {
                        return false;
                    }
                    var message = data.Slice(headerLength, (int)payloadLength);
                    var isAnswer = message.StartsWith("{\"type\":\"published\""u8) || message.StartsWith("{\"type\":\"error\""u8);
                    ok = message.StartsWith("{\"type\":\"published\""u8);
                    error = ok ? null : Encoding.UTF8.GetString(message[..Math.Min(message.Length, 300)]);
                    if (ok)
                    {
                        NoteIds(message);
                    }
                    pending.Consume(headerLength + (int)payloadLength);
                    if (isAnswer)
                    {
                        return true;
                    }
                    break;
                default:
                    var end = data.IndexOf("\r\n"u8);
                    if (end < 0)
                    {
                        return false;
                    }
                    var line = data[..end];
                    var pong = line.SequenceEqual("PONG"u8);
                    if (line.SequenceEqual("PING"u8))
                    {
                        connection.Socket.Send("PONG\r\n"u8);
                    }
                    else if (line.StartsWith("-ERR"u8))
                    {
                        error = Encoding.ASCII.GetString(line);
                    }
                    pending.Consume(end + 2);
                    if (pong || error is not null)
                    {
                        ok = pong;
                        return true;
                    }
                    break;
            }
        }
    }

    /// <summary>Herald answers with the ids it stored (<c>"ids":[…]</c> over HTTP, <c>"id":N</c> in a frame); keeps the highest.</summary>
    private void NoteIds(ReadOnlySpan<byte> answer)
    {
        if (_kind != ServerKind.Herald)
        {
            return;
        }
        var at = answer.IndexOf("\"ids\":["u8);
        var key = 7;
        if (at < 0)
        {
            at = answer.IndexOf("\"id\":"u8);
            key = 5;
        }
        if (at < 0)
        {
            return;
        }
        var rest = answer[(at + key)..];
        var end = rest.IndexOfAny((byte)']', (byte)'}');
        var list = end < 0 ? rest : rest[..end];
        var lastComma = list.LastIndexOf((byte)',');
        if (Utf8Parser.TryParse(list[(lastComma + 1)..], out long id, out _) && id > LastId)
        {
            LastId = id;
        }
    }

    private void DrainInFlight(LatencyHistogram latency)
    {
        var deadline = Stopwatch.StartNew();
        long ignoredErrors = 0;
        string? ignored = null;
        while (_connections.Any(c => c.Busy) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var readable = _connections.Where(c => c.Busy).Select(c => c.Socket).ToList();
            Socket.Select(readable, null, null, 100_000);
            foreach (var socket in readable)
            {
                Receive(_connections.First(c => c.Socket == socket), latency, ref ignoredErrors, ref ignored);
            }
        }
        foreach (var connection in _connections.Where(c => c.Busy).ToList())
        {
            Replace(connection, ref ignored);
        }
    }

    /// <summary>NATS: PING and wait for PONG, which the server sends after it has processed everything before it.</summary>
    private bool Flush()
    {
        var connection = _connections[0];
        connection.Socket.Send("PING\r\n"u8);
        connection.Busy = true;
        var deadline = Stopwatch.StartNew();
        long errors = 0;
        string? error = null;
        var latency = new LatencyHistogram();
        while (connection.Busy && deadline.Elapsed < Stall)
        {
            List<Socket> readable = [connection.Socket];
            Socket.Select(readable, null, null, 100_000);
            if (readable.Count > 0)
            {
                Receive(connection, latency, ref errors, ref error);
            }
        }
        return !connection.Busy && errors == 0;
    }

    /// <summary>Opens a new socket for a broken connection; a connection that cannot reconnect leaves the pool.</summary>
    private void Replace(Connection connection, ref string? firstError)
    {
        connection.Socket.Dispose();
        connection.Busy = false;
        connection.Pending.Clear();
        try
        {
            connection.Socket = Connect(connection.Target).Socket;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            firstError ??= "reconnect failed: " + ex.Message;
            _connections.Remove(connection);
        }
    }

    private sealed class Connection(Socket socket, Uri target)
    {
        public Socket Socket { get; set; } = socket;

        public Uri Target { get; } = target;

        public bool Busy { get; set; }

        public long SentAt { get; set; }

        public ByteBuffer Pending { get; } = new();
    }
}
