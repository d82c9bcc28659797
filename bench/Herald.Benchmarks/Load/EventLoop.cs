using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace Herald.Benchmarks.Load;

/// <summary>
/// One thread that drives every subscriber socket of a load worker through epoll: connects and upgrades them (at most
/// <see cref="LoadOptions.Concurrency"/> handshakes at once), reads whatever arrived with one <c>read</c> per ready
/// socket into a shared buffer, splits it into WebSocket messages for the server's <see cref="Wire"/>, answers
/// heartbeats, and drops, resumes and fails over subscribers when told to. Other threads talk to it through
/// <see cref="Post"/>.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    private const ulong WakeTag = ulong.MaxValue;

    private readonly LoadOptions _options;
    private readonly Wire _wire;
    private readonly int _epoll;
    private readonly int _wake;
    private readonly byte[] _events = new byte[512 * Libc.EpollEventSize];
    private readonly List<Subscriber> _subscribers = [];
    private readonly Queue<Subscriber> _waiting = new();
    private readonly PriorityQueue<(Subscriber Subscriber, int Generation, TimerKind Kind), long> _timers = new();
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly IPEndPoint[] _servers;
    private readonly byte[][] _upgrades;
    private readonly byte[] _hello;
    private readonly Random _random = new(Random.Shared.Next());
    private byte[] _buffer = new byte[256 * 1024];
    private int _nextSource;
    private int _handshakes;
    private int _concurrency;
    private int _unsettled;
    private TaskCompletionSource? _settled;
    private volatile bool _stopping;

    private enum TimerKind
    {
        ConnectTimeout,
        Drop,
        Reconnect,
    }

    public EventLoop(LoadOptions options)
    {
        _options = options;
        _wire = Wire.For(options.Kind);
        _epoll = Libc.EpollCreate();
        _wake = Libc.EventFd();
        Libc.EpollAdd(_epoll, _wake, Libc.EPOLLIN, WakeTag);
        _servers = [.. options.Urls.Select(u => new IPEndPoint(IPAddress.Parse(u.Host), u.Port))];
        _upgrades = new byte[options.Urls.Count][];
        _hello = [];
        _concurrency = options.Concurrency;
    }

    public LoadStats Stats { get; } = new();

    /// <summary>Subscribers so far (read from other threads only between commands that add them).</summary>
    public IReadOnlyList<Subscriber> Subscribers
    {
        get
        {
            lock (_subscribers)
            {
                return [.. _subscribers];
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread.</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        Libc.Signal(_wake);
    }

    /// <summary>Adds <paramref name="count"/> subscribers and connects them; completes when each is welcomed or failed.</summary>
    public Task AddAsync(int count, int firstIndex)
    {
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            _settled = settled;
            _unsettled += count;
            lock (_subscribers)
            {
                for (var i = 0; i < count; i++)
                {
                    var subscriber = new Subscriber(this, _subscribers.Count, TopicOf(firstIndex + i)) { Since = _options.Since };
                    if (_options.Track > 0)
                    {
                        subscriber.ResetTracking(_options.TrackFrom, _options.Track);
                    }
                    _subscribers.Add(subscriber);
                    _waiting.Enqueue(subscriber);
                }
            }
            StartWaiting();
            if (_unsettled == 0)
            {
                settled.TrySetResult();
            }
        });
        return settled.Task;
    }

    /// <summary>Drops every subscriber <see cref="LoadOptions.Drops"/> times at random moments in the drop window; each resumes at once.</summary>
    public void StartDrops()
    {
        Post(() =>
        {
            var window = Stopwatch.Frequency * _options.DropWindow.TotalSeconds;
            var now = Stopwatch.GetTimestamp();
            foreach (var subscriber in _subscribers)
            {
                subscriber.DropsLeft = _options.Drops;
                // Even slots with jitter: the drops of one subscriber never overlap, and the last ends inside the window.
                _timers.Enqueue((subscriber, -1, TimerKind.Drop), now + (long)(window / _options.Drops * _random.NextDouble() * 0.8));
            }
        });
    }

    /// <summary>
    /// Closes every subscriber at once and reconnects them all with <c>since</c> = <paramref name="since"/>, counting
    /// what each receives from <paramref name="firstSeq"/> on (a range of <paramref name="trackSize"/> numbers).
    /// </summary>
    public void Storm(long since, long firstSeq, int trackSize, int concurrency)
    {
        Post(() =>
        {
            _concurrency = concurrency;
            foreach (var subscriber in _subscribers)
            {
                if (subscriber.Fd >= 0)
                {
                    Close(subscriber, abort: true);
                }
                _handshakes -= subscriber.State is SubscriberState.Connecting or SubscriberState.Upgrading or SubscriberState.Open ? 1 : 0;
                subscriber.State = SubscriberState.Idle;
                subscriber.Since = since;
                subscriber.Reconnecting = true;
                Volatile.Write(ref subscriber.LiveAt, 0);
                subscriber.ResetTracking(firstSeq, trackSize);
                _waiting.Enqueue(subscriber);
            }
            StartWaiting();
        });
    }

    public void Stop()
    {
        _stopping = true;
        Libc.Signal(_wake);
    }

    /// <summary>The loop; returns after <see cref="Stop"/>, having closed every socket.</summary>
    public void Run()
    {
        while (!_stopping)
        {
            var n = Libc.EpollWait(_epoll, _events, NextTimeoutMs());
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                var tag = Libc.EventData(_events, i);
                if (tag == WakeTag)
                {
                    Libc.Drain(_wake);
                    continue;
                }
                var subscriber = _subscribers[(int)(uint)tag];
                if (subscriber.Generation != (int)(tag >> 32) || subscriber.Fd < 0)
                {
                    continue;
                }
                OnSocketEvent(subscriber, Libc.EventFlags(_events, i), now);
            }
            while (_posted.TryDequeue(out var action))
            {
                action();
            }
            RunTimers();
        }
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Fd >= 0)
            {
                Close(subscriber, abort: true);
            }
        }
    }

    public void Dispose()
    {
        Libc.Close(_wake);
        Libc.Close(_epoll);
    }

    /// <summary>Writes a frame, or queues it behind what the socket has not taken yet.</summary>
    public void Send(Subscriber subscriber, ReadOnlySpan<byte> frame)
    {
        if (subscriber.Fd < 0)
        {
            return;
        }
        if (subscriber.Outgoing is { Length: > 0 } queued)
        {
            queued.Append(frame);
            return;
        }
        var written = Libc.Write(subscriber.Fd, frame);
        if (written < 0 && Libc.Errno != Libc.EAGAIN)
        {
            return; // the read side sees the broken socket
        }
        written = Math.Max(0, written);
        if (written < frame.Length)
        {
            (subscriber.Outgoing ??= new ByteBuffer()).Append(frame[written..]);
            Libc.EpollModify(_epoll, subscriber.Fd, Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLOUT, Tag(subscriber));
        }
    }

    public void OnReady(Subscriber subscriber)
    {
        _handshakes--;
        if (!subscriber.Reconnecting)
        {
            Stats.OnConnected();
            Settle();
        }
        StartWaiting();
    }

    public void OnLive(Subscriber subscriber, long now)
    {
        if (subscriber.Reconnecting)
        {
            subscriber.Reconnecting = false;
            Stats.OnReconnected(now);
        }
        if (subscriber.DropsLeft > 0)
        {
            var slot = Stopwatch.Frequency * _options.DropWindow.TotalSeconds / _options.Drops;
            _timers.Enqueue((subscriber, subscriber.Generation, TimerKind.Drop), now + (long)(slot * (0.2 + (_random.NextDouble() * 0.8))));
        }
    }

    private string TopicOf(int index) => _options.Topics <= 1 ? _options.Topic : "t" + (index % _options.Topics).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ulong Tag(Subscriber subscriber) => ((ulong)(uint)subscriber.Generation << 32) | (uint)subscriber.Slot;

    private void StartWaiting()
    {
        while (_handshakes < _concurrency && _waiting.TryDequeue(out var subscriber))
        {
            StartConnect(subscriber);
        }
    }

    private void StartConnect(Subscriber subscriber)
    {
        var now = Stopwatch.GetTimestamp();
        var server = _servers[subscriber.UrlIndex];
        var source = _options.SourceAddresses.Count == 0 ? null : _options.SourceAddresses[_nextSource++ % _options.SourceAddresses.Count];
        subscriber.Generation++;
        subscriber.ClearBuffers();
        subscriber.Deliberate = false;
        subscriber.Resuming = subscriber.Since is not null;
        subscriber.ConnectStartedAt = now;
        _handshakes++;
        var fd = Libc.StartConnect(source, server, out var error);
        if (fd < 0)
        {
            subscriber.State = SubscriberState.Connecting;
            ConnectFailed(subscriber, "connect failed: errno " + error);
            return;
        }
        subscriber.Fd = fd;
        subscriber.State = SubscriberState.Connecting;
        Libc.EpollAdd(_epoll, fd, Libc.EPOLLOUT | Libc.EPOLLIN | Libc.EPOLLRDHUP, Tag(subscriber));
        _timers.Enqueue((subscriber, subscriber.Generation, TimerKind.ConnectTimeout), now + (long)(Stopwatch.Frequency * _options.ConnectTimeout.TotalSeconds));
    }

    private void OnSocketEvent(Subscriber subscriber, uint flags, long now)
    {
        if (subscriber.State == SubscriberState.Connecting)
        {
            if ((flags & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) == 0)
            {
                return;
            }
            var error = Libc.SocketError(subscriber.Fd);
            if (error != 0)
            {
                ConnectFailed(subscriber, "connect failed: errno " + error + (error == 111 ? " (connection refused)" : ""));
                return;
            }
            subscriber.State = SubscriberState.Upgrading;
            Libc.EpollModify(_epoll, subscriber.Fd, Libc.EPOLLIN | Libc.EPOLLRDHUP, Tag(subscriber));
            Send(subscriber, Upgrade(subscriber));
            return;
        }
        if ((flags & Libc.EPOLLOUT) != 0 && subscriber.Outgoing is { Length: > 0 } queued)
        {
            var written = Libc.Write(subscriber.Fd, queued.Span);
            if (written > 0)
            {
                queued.Consume(written);
            }
            if (queued.Length == 0)
            {
                Libc.EpollModify(_epoll, subscriber.Fd, Libc.EPOLLIN | Libc.EPOLLRDHUP, Tag(subscriber));
            }
        }
        if ((flags & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0)
        {
            Receive(subscriber, now);
        }
    }

    private byte[] Upgrade(Subscriber subscriber)
    {
        if (subscriber.Since is null && _upgrades[subscriber.UrlIndex] is { } cached && _options.Topics <= 1)
        {
            return cached;
        }
        var url = _options.Urls[subscriber.UrlIndex];
        var request = WebSocketFrames.UpgradeRequest(url.Authority, _wire.Target(subscriber.Topic, subscriber.Since));
        if (subscriber.Since is null && _options.Topics <= 1)
        {
            _upgrades[subscriber.UrlIndex] = request;
        }
        return request;
    }

    /// <summary>Reads what arrived (one read, more while it fills the buffer) and hands every whole message to the wire.</summary>
    private void Receive(Subscriber subscriber, long now)
    {
        while (subscriber.Fd >= 0)
        {
            var carried = subscriber.Carry.Length;
            if (_buffer.Length - carried < 64 * 1024)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, carried + (256 * 1024)));
            }
            subscriber.Carry.Span.CopyTo(_buffer);
            var free = _buffer.Length - carried;
            var read = Libc.Read(subscriber.Fd, _buffer.AsSpan(carried, free));
            if (read < 0)
            {
                if (Libc.Errno == Libc.EAGAIN)
                {
                    return;
                }
                Lost(subscriber, "read failed: errno " + Libc.Errno);
                return;
            }
            if (read == 0)
            {
                Lost(subscriber, subscriber.State == SubscriberState.Upgrading ? "closed during the upgrade" : "closed by the server");
                return;
            }
            Stats.OnBytes(read);
            subscriber.Carry.Clear();
            try
            {
                var consumed = subscriber.State == SubscriberState.Upgrading
                    ? ReadUpgrade(subscriber, _buffer.AsSpan(0, carried + read), now)
                    : ReadFrames(subscriber, _buffer.AsSpan(0, carried + read), now);
                if (subscriber.Fd >= 0 && consumed < carried + read)
                {
                    subscriber.Carry.Append(_buffer.AsSpan(consumed, carried + read - consumed));
                }
            }
            catch (InvalidDataException ex)
            {
                Lost(subscriber, ex.Message);
                return;
            }
            if (read < free)
            {
                return;
            }
        }
    }

    private int ReadUpgrade(Subscriber subscriber, ReadOnlySpan<byte> data, long now)
    {
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return 0;
        }
        var statusLine = data[..data.IndexOf("\r\n"u8)];
        if (statusLine.Length < 12 || !statusLine[9..12].SequenceEqual("101"u8))
        {
            throw new InvalidDataException("upgrade refused: " + Encoding.ASCII.GetString(statusLine));
        }
        subscriber.State = SubscriberState.Open;
        var hello = _wire.Hello(subscriber.Topic);
        if (hello.Length > 0)
        {
            Send(subscriber, hello);
        }
        return end + 4 + ReadFrames(subscriber, data[(end + 4)..], now);
    }

    /// <summary>Handles every whole frame; returns the bytes consumed.</summary>
    private int ReadFrames(Subscriber subscriber, ReadOnlySpan<byte> data, long now)
    {
        var position = 0;
        while (subscriber.Fd >= 0 && WebSocketFrames.TryReadHeader(data[position..], out var headerLength, out var payloadLength, out var opcode, out var fin))
        {
            if (data.Length - position - headerLength < payloadLength)
            {
                break;
            }
            var payload = data.Slice(position + headerLength, (int)payloadLength);
            position += headerLength + (int)payloadLength;
            switch (opcode)
            {
                case WebSocketFrames.Text or WebSocketFrames.Binary when fin:
                    _wire.OnMessage(subscriber, payload, now);
                    break;
                case WebSocketFrames.Text or WebSocketFrames.Binary or WebSocketFrames.Continuation:
                    var fragments = subscriber.Fragments ??= new ByteBuffer();
                    fragments.Append(payload);
                    if (fin)
                    {
                        _wire.OnMessage(subscriber, fragments.Span, now);
                        fragments.Clear();
                    }
                    break;
                case WebSocketFrames.Ping:
                    Send(subscriber, WebSocketFrames.Client(payload, WebSocketFrames.Pong));
                    break;
                case WebSocketFrames.Close:
                    var code = payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 0;
                    Lost(subscriber, "closed by the server: " + code + " " + Encoding.UTF8.GetString(payload[Math.Min(2, payload.Length)..]));
                    return position;
                default:
                    break;
            }
        }
        return position;
    }

    private void ConnectFailed(Subscriber subscriber, string reason)
    {
        _handshakes--;
        if (subscriber.Fd >= 0)
        {
            Close(subscriber, abort: true);
        }
        subscriber.State = SubscriberState.Idle;
        if (subscriber.Reconnecting)
        {
            // A node that is gone refuses at once: try the next one after a moment.
            subscriber.UrlIndex = (subscriber.UrlIndex + 1) % _servers.Length;
            subscriber.Reconnecting = true;
            _timers.Enqueue((subscriber, subscriber.Generation, TimerKind.Reconnect), Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10));
        }
        else
        {
            Stats.OnFailed(reason);
            Settle();
        }
        StartWaiting();
    }

    /// <summary>A connection ended without the worker asking: a failed connect, a drop, or a failover to the next node.</summary>
    private void Lost(Subscriber subscriber, string reason)
    {
        if (subscriber.State != SubscriberState.Ready)
        {
            ConnectFailed(subscriber, reason);
            return;
        }
        Close(subscriber, abort: false);
        subscriber.State = SubscriberState.Idle;
        if (_stopping)
        {
            return;
        }
        if (_options.Reconnect)
        {
            Stats.OnLost(Stopwatch.GetTimestamp());
            subscriber.UrlIndex = (subscriber.UrlIndex + 1) % _servers.Length;
            Resume(subscriber);
            return;
        }
        Stats.OnDropped(reason);
    }

    private void Resume(Subscriber subscriber)
    {
        subscriber.Reconnecting = true;
        if (_options.Kind == Servers.ServerKind.Herald)
        {
            subscriber.Since = subscriber.LastEventId;
        }
        _waiting.Enqueue(subscriber);
        StartWaiting();
    }

    private void Close(Subscriber subscriber, bool abort)
    {
        Libc.EpollRemove(_epoll, subscriber.Fd);
        if (abort)
        {
            Libc.Abort(subscriber.Fd);
        }
        else
        {
            Libc.Close(subscriber.Fd);
        }
        subscriber.Fd = -1;
    }

    private void Settle()
    {
        if (--_unsettled == 0)
        {
            _settled?.TrySetResult();
        }
    }

    private int NextTimeoutMs()
    {
        if (!_timers.TryPeek(out _, out var due))
        {
            return -1;
        }
        var ms = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
        return (int)Math.Clamp(ms + 1, 0, 1000);
    }

    private void RunTimers()
    {
        var now = Stopwatch.GetTimestamp();
        while (_timers.TryPeek(out var timer, out var due) && due <= now)
        {
            _timers.Dequeue();
            var (subscriber, generation, kind) = timer;
            switch (kind)
            {
                case TimerKind.ConnectTimeout when generation == subscriber.Generation && subscriber.State is SubscriberState.Connecting or SubscriberState.Upgrading or SubscriberState.Open:
                    ConnectFailed(subscriber, "timed out after " + _options.ConnectTimeout.TotalSeconds + " s in state " + subscriber.State);
                    break;
                case TimerKind.Reconnect when generation == subscriber.Generation && subscriber.State == SubscriberState.Idle:
                    _waiting.Enqueue(subscriber);
                    StartWaiting();
                    break;
                case TimerKind.Drop when subscriber.DropsLeft > 0:
                    if (subscriber.State != SubscriberState.Ready || subscriber.Resuming)
                    {
                        // Still catching up from the previous drop: try again shortly.
                        _timers.Enqueue(timer, now + (Stopwatch.Frequency / 50));
                        break;
                    }
                    subscriber.DropsLeft--;
                    Close(subscriber, abort: true);
                    subscriber.State = SubscriberState.Idle;
                    Resume(subscriber);
                    break;
                default:
                    break;
            }
        }
    }
}
