using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Herald.JetStream.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.JetStream;

/// <summary>
/// The hubs' control channel on a plain NATS subject, <c>&lt;prefix&gt;.bus</c> (not JetStream: commands about live
/// connections are worth nothing later). At most once, in order per sender, as <see cref="IClusterBus"/> asks.
/// </summary>
public sealed class NatsClusterBus : IClusterBus
{
    private readonly JetStreamConnection _connection;
    private readonly ILogger _logger;
    private readonly string _subject;
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Creates the bus over <paramref name="connection"/>.</summary>
    /// <param name="connection">The node's connection to NATS (shared with its stores).</param>
    /// <param name="logger">Where to log; nothing is logged when omitted.</param>
    public NatsClusterBus(JetStreamConnection connection, ILogger<NatsClusterBus>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _subject = NatsSubjects.Bus(connection.Options.SubjectPrefix);
    }

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => _connection.OpenAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask PublishAsync(ClusterMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(64 + message.Body.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind"u8, message.Kind);
            writer.WriteString("sender"u8, message.Sender);
            writer.WritePropertyName("body"u8);
            writer.WriteRawValue(message.Body.IsEmpty ? "null"u8 : message.Body.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        try
        {
            await _connection.Connection.PublishAsync(_subject, buffer.WrittenMemory.ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            // Best effort by contract: a node that cannot reach NATS is cut off, and so are its connections' commands.
            Log.BusFailed(_logger, ex.Message);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ClusterMessage> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        await foreach (var message in _connection.Connection.SubscribeAsync<byte[]>(_subject, cancellationToken: linked.Token).ConfigureAwait(false))
        {
            if (Read(message.Data) is { } decoded)
            {
                yield return decoded;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <inheritdoc />
    /// <remarks>Ends every subscription; the connection is the node's and is closed by its owner.</remarks>
    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        _disposed.Dispose();
    }

    private ClusterMessage? Read(byte[]? data)
    {
        try
        {
            using var document = JsonDocument.Parse(data ?? []);
            var root = document.RootElement;
            return new ClusterMessage(root.GetProperty("kind").GetString()!, root.GetProperty("sender").GetString()!, JsonSerializer.SerializeToUtf8Bytes(root.GetProperty("body")));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Log.BusFailed(_logger, "a message that is not Herald's: " + ex.Message);
            return null;
        }
    }
}
