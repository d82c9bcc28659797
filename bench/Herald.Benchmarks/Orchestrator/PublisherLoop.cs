using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// Drives several keep-alive HTTP/1.1 connections from one thread, as wrk does: each connection sends the same
/// prepared POST, waits for the whole answer, and sends it again. One poll over all the connections, instead of
/// an async receive per connection, keeps the generator's CPU and thread hand-offs low, so on a 2-core machine
/// the server, not the load generator, sets the measured rate.
/// </summary>
public sealed class PublisherLoop
{
    private readonly Uri _server;
    private readonly byte[] _request;
    private readonly LatencyHistogram _latency;
    private readonly Dictionary<Socket, Connection> _connections = [];

    /// <summary>Prepares <paramref name="connections"/> connections that POST <paramref name="body"/> (JSON) to <paramref name="path"/>.</summary>
    public PublisherLoop(Uri server, string path, byte[] body, int connections, LatencyHistogram latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        _server = server;
        _latency = latency;
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        _request = [.. head, .. body];
        Connections = connections;
    }

    public int Connections { get; }

    /// <summary>Answers with a 2xx status.</summary>
    public long Acknowledged { get; private set; }

    /// <summary>Answers with another status, and connections that broke (they are reopened).</summary>
    public long Errors { get; private set; }

    /// <summary>Sends until <paramref name="duration"/> has passed on <paramref name="clock"/>; answers still in flight then are not counted.</summary>
    public void Run(Stopwatch clock, TimeSpan duration)
    {
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                Open();
            }

            var ready = new List<Socket>(Connections);
            while (clock.Elapsed < duration)
            {
                ready.Clear();
                ready.AddRange(_connections.Keys);
                Socket.Select(ready, null, null, 100_000);
                foreach (var socket in ready)
                {
                    Receive(_connections[socket]);
                }
            }
        }
        finally
        {
            foreach (var socket in _connections.Keys)
            {
                socket.Dispose();
            }
            _connections.Clear();
        }
    }

    private void Receive(Connection connection)
    {
        try
        {
            connection.Compact();
            var read = connection.Socket.Receive(connection.Free, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            connection.End += read;
            while (HttpResponseReader.TryRead(connection.Pending, out var consumed, out var status))
            {
                _latency.Record((long)Payload.ElapsedMicros(connection.SentAt, Stopwatch.GetTimestamp()));
                connection.Start += consumed;
                if (status is >= 200 and < 300)
                {
                    Acknowledged++;
                }
                else
                {
                    Errors++;
                }
                Send(connection);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            Errors++;
            _connections.Remove(connection.Socket);
            connection.Socket.Dispose();
            Open();
        }
    }

    private void Open()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(_server.Host, _server.Port);
            var connection = new Connection(socket);
            _connections.Add(socket, connection);
            Send(connection);
        }
        catch (SocketException)
        {
            socket.Dispose();
            throw;
        }
    }

    private void Send(Connection connection)
    {
        connection.SentAt = Stopwatch.GetTimestamp();
        connection.Socket.Send(_request, SocketFlags.None);
    }

    private sealed class Connection(Socket socket)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];

        public Socket Socket { get; } = socket;

        public long SentAt { get; set; }

        public int Start { get; set; }

        public int End { get; set; }

        public ReadOnlySpan<byte> Pending => _buffer.AsSpan(Start, End - Start);

        public Span<byte> Free => _buffer.AsSpan(End);

        /// <summary>Moves unread bytes to the front so that the next receive has room.</summary>
        public void Compact()
        {
            if (Start > 0)
            {
                _buffer.AsSpan(Start, End - Start).CopyTo(_buffer);
                End -= Start;
                Start = 0;
            }

            if (End == _buffer.Length)
            {
                throw new IOException("An answer's head is longer than the read buffer.");
            }
        }
    }
}
