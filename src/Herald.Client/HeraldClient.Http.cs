using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Herald.Client.Internal;

namespace Herald.Client;

public sealed partial class HeraldClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>Publishes one event with <c>POST /api/events</c> (no WebSocket needed).</summary>
    /// <param name="topic">The topic (no wildcards).</param>
    /// <param name="type">The event type.</param>
    /// <param name="data">The data: any JSON value.</param>
    /// <param name="source">Who publishes it; optional.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The id the server gave the event.</returns>
    /// <exception cref="HeraldClientException">The server refused it; the message is the problem's <c>detail</c>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<long> PublishAsync(string topic, string type, JsonElement data, string? source = null, CancellationToken cancellationToken = default)
    {
        var ids = await PublishAsync([new OutgoingEvent(topic, type, data, source)], cancellationToken).ConfigureAwait(false);
        return ids[0];
    }

    /// <summary>Publishes events, in order, with one <c>POST /api/events</c>.</summary>
    /// <param name="events">The events; at least one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The ids the server gave the events, in the same order.</returns>
    /// <exception cref="HeraldClientException">The server refused them; the message is the problem's <c>detail</c>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<long>> PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                writer.WriteStartObject();
                writer.WriteString("topic", e.Topic);
                writer.WriteString("type", e.Type);
                writer.WritePropertyName("data");
                if (e.Data.ValueKind == JsonValueKind.Undefined)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    e.Data.WriteTo(writer);
                }

                if (e.Time is { } time)
                {
                    writer.WriteString("time", time);
                }

                if (e.Source is not null)
                {
                    writer.WriteString("source", e.Source);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        using var request = await NewRequestAsync(HttpMethod.Post, "api/events", cancellationToken).ConfigureAwait(false);
        request.Content = new ReadOnlyMemoryContent(body.WrittenMemory);
        request.Content.Headers.ContentType = JsonMediaType;
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Refused(response.StatusCode, answer);
        }

        using var document = JsonDocument.Parse(answer);
        return [.. document.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64())];
    }

    /// <summary>
    /// Before a connection with no start position: the store's newest id from <c>/api/health</c>, so even
    /// the very first connection resumes exactly (nothing published while reconnecting is missed).
    /// </summary>
    private async Task ResolveStartPositionAsync(CancellationToken token)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(_options.DeadServerTimeout ?? HeraldClientOptions.DefaultConnectTimeout);
            using var request = await NewRequestAsync(HttpMethod.Get, "api/health", timeout.Token).ConfigureAwait(false);
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("components", out var components)
                && components.TryGetProperty("store", out var store)
                && store.TryGetProperty("status", out var status) && status.GetString() == "healthy"
                && store.TryGetProperty("details", out var details)
                && details.TryGetProperty("lastId", out var lastId) && lastId.TryGetInt64(out var value))
            {
                Interlocked.CompareExchange(ref _position, value, UnknownPosition);
                return;
            }

            Log.StartPositionUnknown(_logger, $"HTTP {(int)response.StatusCode} without a healthy store's lastId");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException or InvalidOperationException)
        {
            token.ThrowIfCancellationRequested();
            Log.StartPositionUnknown(_logger, Describe(ex));
        }
    }

    private async ValueTask<HttpRequestMessage> NewRequestAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(Endpoints.HttpBase, path));
        foreach (var (name, value) in _options.RequestHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (await AccessTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private async ValueTask<string?> AccessTokenAsync(CancellationToken cancellationToken)
        => _options.AccessTokenProvider is { } provider ? await provider(cancellationToken).ConfigureAwait(false) : null;

    private static HeraldClientException Refused(HttpStatusCode status, byte[] body)
    {
        string? title = null;
        string? detail = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                title = document.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
                detail = document.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, say): report the status alone.
        }

        var message = detail ?? title ?? $"The server answered {(int)status} {status}.";
        return new HeraldClientException(message, null, (int)status, title);
    }
}
