using System.Collections.Concurrent;
using System.Text.Json;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Http;
using Herald.Internal.Protocol;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Cluster;

/// <summary>
/// This hub as a node of a cluster, over the <see cref="IClusterBus"/>: it says hello every few seconds (so each
/// node knows which others are alive), delivers broadcast messages other nodes send, and answers requests that
/// concern its connections: close one, list them. A lone hub is a cluster of one and takes the same paths.
/// </summary>
internal sealed class ClusterNode(IClusterBus bus, ConnectionRegistry connections, HeraldOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>How long a request waits for nodes that have not answered.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan HelloInterval = TimeSpan.FromSeconds(5);

    private const string Hello = "hello";
    private const string Bye = "bye";
    private const string Broadcast = "broadcast";
    private const string Close = "close";
    private const string List = "list";
    private const string Reply = "reply";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loops = Task.CompletedTask;

    public string NodeId => options.NodeId;

    /// <summary>
    /// A node that was heard is silent for three hello intervals (15 seconds): it died or was cut off. Raised once per
    /// node, by every node that noticed; the handler gets its id and when it was last heard.
    /// </summary>
    public event Action<string, DateTimeOffset>? NodeLost;

    /// <summary>Forgets the nodes silent for three hello intervals and raises <see cref="NodeLost"/> for each.</summary>
    internal void ForgetSilentNodes()
    {
        var cutoff = time.GetUtcNow() - (3 * HelloInterval);
        foreach (var (node, lastHeard) in _nodes)
        {
            if (node != NodeId && lastHeard < cutoff && _nodes.TryRemove(new KeyValuePair<string, DateTimeOffset>(node, lastHeard)))
            {
                NodeLost?.Invoke(node, lastHeard);
            }
        }
    }

    /// <summary>The nodes heard from within the last three hello intervals, this one included, in name order.</summary>
    public IReadOnlyList<string> Nodes
    {
        get
        {
            var cutoff = time.GetUtcNow() - (3 * HelloInterval);
            return [.. _nodes.Where(n => n.Key == NodeId || n.Value >= cutoff).Select(n => n.Key).Order(StringComparer.Ordinal)];
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await bus.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _nodes[NodeId] = time.GetUtcNow();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loops = Task.WhenAll(Task.Run(() => ListenAsync(listening), CancellationToken.None), Task.Run(HelloLoopAsync, CancellationToken.None));
        await listening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        try
        {
            await SendAsync(Bye, new { }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ClusterSendFailed(logger, Bye, ex);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loops.ConfigureAwait(false);
    }

    /// <summary>Asks the other nodes to queue a direct message on every connection they hold (this node delivered its own).</summary>
    public ValueTask BroadcastAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        => SendAsync(Broadcast, new BroadcastBody(JsonDocument.Parse(data).RootElement), cancellationToken);

    /// <summary>Closes a connection on whichever node holds it.</summary>
    /// <returns>False when no node answered that it held the connection.</returns>
    public async ValueTask<bool> CloseAsync(string connectionId, string reason, CancellationToken cancellationToken)
    {
        if (connections.Find(connectionId) is { } local)
        {
            local.RequestClose(CloseReason.ClosedByServer(reason));
            return true;
        }

        var answers = await RequestAsync(Close, id => new CloseBody(id, connectionId, reason), cancellationToken).ConfigureAwait(false);
        return answers.Any(a => a.GetProperty("closed").GetBoolean());
    }

    /// <summary>The connections every node holds, each with its node.</summary>
    public async ValueTask<IReadOnlyList<ConnectionDocument>> ListAsync(CancellationToken cancellationToken)
    {
        var answers = await RequestAsync(List, id => new RequestBody(id), cancellationToken).ConfigureAwait(false);
        return [.. answers
            .SelectMany(a => a.GetProperty("connections").Deserialize<ConnectionDocument[]>(JsonSerializerOptions.Web) ?? [])
            .OrderBy(c => c.Node, StringComparer.Ordinal)
            .ThenBy(c => c.ConnectedAt)];
    }

    private async Task<List<JsonElement>> RequestAsync(string kind, Func<string, object> body, CancellationToken cancellationToken)
    {
        var requestId = ConnectionIds.Next();
        var pending = new PendingRequest(Nodes);
        _requests[requestId] = pending;
        try
        {
            await SendAsync(kind, body(requestId), cancellationToken).ConfigureAwait(false);
            try
            {
                await pending.Done.WaitAsync(RequestTimeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Answer with what arrived: a node that is down holds no connections any more.
            }

            return pending.Answers();
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    private ValueTask SendAsync(string kind, object body, CancellationToken cancellationToken)
        => bus.PublishAsync(new ClusterMessage(kind, NodeId, JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web)), cancellationToken);

    private async Task ListenAsync(TaskCompletionSource listening)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var subscription = bus.SubscribeAsync(_stopping.Token).GetAsyncEnumerator(_stopping.Token);
                await using (subscription.ConfigureAwait(false))
                {
                    // The first MoveNextAsync subscribes; requests sent after StartAsync returns are heard.
                    var next = subscription.MoveNextAsync();
                    listening.TrySetResult();
                    while (await next.ConfigureAwait(false))
                    {
                        await HandleAsync(subscription.Current).ConfigureAwait(false);
                        next = subscription.MoveNextAsync();
                    }
                }

                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.ClusterListenFailed(logger, ex);
                listening.TrySetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleAsync(ClusterMessage message)
    {
        try
        {
            var known = _nodes.ContainsKey(message.Sender);
            _nodes[message.Sender] = time.GetUtcNow();
            using var document = JsonDocument.Parse(message.Body);
            var body = document.RootElement;
            switch (message.Kind)
            {
                case Hello when !known:
                    // A node that just started learns of this one at once, not at the next hello.
                    await SendAsync(Hello, new { connections = connections.Count }, _stopping.Token).ConfigureAwait(false);
                    break;
                case Bye:
                    if (message.Sender != NodeId)
                    {
                        _nodes.TryRemove(message.Sender, out _);
                    }

                    break;
                case Broadcast when message.Sender != NodeId:
                    var frame = ServerFrames.Message(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(body.GetProperty("data")));
                    foreach (var connection in connections.All)
                    {
                        connection.SendMessage(frame);
                    }

                    break;
                case Close:
                    var target = connections.Find(body.GetProperty("connectionId").GetString()!);
                    target?.RequestClose(CloseReason.ClosedByServer(body.GetProperty("reason").GetString()!));
                    await SendAsync(Reply, new ReplyBody(body.GetProperty("requestId").GetString()!, message.Sender, new { closed = target is not null }), _stopping.Token).ConfigureAwait(false);
                    break;
                case List:
                    var listed = connections.All.Select(c => ConnectionDocument.From(NodeId, c)).ToArray();
                    await SendAsync(Reply, new ReplyBody(body.GetProperty("requestId").GetString()!, message.Sender, new { connections = listed }), _stopping.Token).ConfigureAwait(false);
                    break;
                case Reply when body.GetProperty("to").GetString() == NodeId
                    && _requests.TryGetValue(body.GetProperty("requestId").GetString()!, out var pending):
                    pending.Add(message.Sender, body.GetProperty("answer").Clone());
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A message this node cannot read (another version, or garbage): ignore it.
            Log.ClusterMessageIgnored(logger, message.Kind, message.Sender, ex.Message);
        }
    }

    private async Task HelloLoopAsync()
    {
        using var timer = new PeriodicTimer(HelloInterval, time);
        try
        {
            do
            {
                try
                {
                    await SendAsync(Hello, new { connections = connections.Count }, _stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    Log.ClusterSendFailed(logger, Hello, ex);
                }

                ForgetSilentNodes();
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private sealed record RequestBody(string RequestId);

    private sealed record CloseBody(string RequestId, string ConnectionId, string Reason);

    private sealed record BroadcastBody(JsonElement Data);

    private sealed record ReplyBody(string RequestId, string To, object Answer);

    /// <summary>Answers to one request, complete once every node alive when it was sent has answered.</summary>
    private sealed class PendingRequest(IReadOnlyList<string> expected)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, JsonElement> _answers = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public void Add(string node, JsonElement answer)
        {
            lock (_lock)
            {
                _answers[node] = answer;
                if (expected.All(_answers.ContainsKey))
                {
                    _done.TrySetResult();
                }
            }
        }

        public List<JsonElement> Answers()
        {
            lock (_lock)
            {
                return [.. _answers.Values];
            }
        }
    }
}
