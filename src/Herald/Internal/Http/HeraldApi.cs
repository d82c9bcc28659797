using System.Text.Json;
using System.Text.Unicode;
using Herald.Internal.Cluster;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Publishing;
using Herald.Internal.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Herald.Internal.Http;

/// <summary>The REST API under <c>/api</c>.</summary>
internal static class HeraldApi
{
    private const int DefaultPageSize = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.AddEndpointFilter(CrossSiteCheck.InvokeAsync);
        api.MapPost("/events", PublishAsync)
            .WithName("PublishEvents")
            .WithSummary("Publish one event or an array of events")
            .WithDescription("Body: {\"topic\",\"type\",\"data\",\"time\"?,\"source\"?} or an array of them. Answers 201 with the ids once the events are stored.")
            .AddOpenApiOperationTransformer(DescribeJsonBody<EventInputDocument>)
            .Produces<PublishedDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/events", ListAsync)
            .WithName("ListEvents")
            .WithSummary("Page through stored events in id order")
            .WithDescription("Query: topic (pattern list, default #), after (id, default 0), limit (1-1000 by default, Herald:MaxHistoryPageSize; default 100). 'next' is the 'after' of the next page, null at the end; a page of large events may stop short of 'limit' (Herald:MaxHistoryResponseSize), with 'next' set. With before (id): the newest events below it instead, still in id order, and 'prev', the 'before' of the next older page, null at the oldest.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/events/{id:long}", GetAsync)
            .WithName("GetEvent")
            .WithSummary("Read one stored event")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/stream", SseEndpoint.HandleAsync)
            .WithName("EventStream")
            .WithSummary("Live events as Server-Sent Events")
            .WithDescription("Query: topics (patterns, '+' as %2B and '#' as %23), since (event id), sseEvents (unnamed, the default, or named). Honours Last-Event-ID. Records: id = event id, data = event JSON (with sseEvents=named also event = event type); 'resumed' and 'error' as named records; ': ping' comments as heartbeat.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        api.MapPost("/sessions/{sessionId}/messages", SendToSessionAsync)
            .WithName("SendSessionMessage")
            .WithSummary("Send a direct message to a session")
            .WithDescription("The JSON body becomes the 'data' of a 'message' frame. 200 when delivered to a live socket, 202 when queued in the session's mailbox (delivered when it is back, on whichever node holds it), 404 when there is no such session.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/connections", ListConnectionsAsync)
            .WithName("ListConnections")
            .WithSummary("List open WebSocket and SSE connections on every node");
        api.MapDelete("/connections/{connectionId}", CloseConnectionAsync)
            .WithName("CloseConnection")
            .WithSummary("Close a connection on whichever node holds it (close code 4003)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/sessions/{sessionId}", EndSessionAsync)
            .WithName("EndSession")
            .WithSummary("End a session: delete its queued messages, invalidate its resume tokens and close its connection (4003)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/me", MeAsync)
            .WithName("Me")
            .WithSummary("Who the caller is and what its grants allow");
        api.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithSummary("Component status: 200 when healthy, 503 when not");
        api.MapGet("/metrics", MetricsAsync)
            .WithName("Metrics")
            .WithSummary("Hub counters and broadcast latency percentiles");
    }

    /// <summary>The header that names a publish, so a retry of it is stored once.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Describes a JSON request body in the OpenAPI document. Herald reads such bodies itself (bounded and checked, see
    /// <see cref="RequestBody"/>) and answers a wrong Content-Type with its own problem details (<see cref="CrossSiteCheck"/>),
    /// so it declares no <c>Accepts</c> metadata, whose routing check would answer first with an empty 415.
    /// </summary>
    private static async Task DescribeJsonBody<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
        => operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken).ConfigureAwait(false) } },
        };

    private static async Task<IResult> PublishAsync(HttpContext context, HttpRequest request, IHeraldHub hub, Authenticator authenticator, IOptions<HeraldOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (user, refusal) = await Access.CheckAsync(context, authenticator, g => g.Publish.Count > 0, "This user may not publish (no herald.publish grant).").ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var limits = options.Value;
        var (body, tooLarge) = await RequestBody.ReadAsync(request, limits.MaxPublishBodySize, "Herald:MaxPublishBodySize", cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        List<NewEvent> events;
        using (body)
        {
            if (EventInput.Parse(body!.Memory, limits, time, out var parsed) is { } invalid)
            {
                return Problems.Result(invalid.Status, invalid.Status == StatusCodes.Status413PayloadTooLarge ? "Content too large" : "Invalid event", invalid.Detail);
            }

            events = parsed!;
        }

        if (events.FirstOrDefault(e => !user!.Grants.CanPublish(e.Topic)) is { } denied)
        {
            return Problems.Refused(Refusal.Forbidden($"This user may not publish to '{denied.Topic}': no herald.publish grant covers it."));
        }

        if (!PublishKey.TryApply(events, request.Headers[IdempotencyKeyHeader].FirstOrDefault(), out var keyError))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Invalid idempotency key", keyError);
        }

        try
        {
            var stored = await hub.PublishAsync(events, cancellationToken).ConfigureAwait(false);
            return JsonBody.Write(StatusCodes.Status201Created, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("ids"u8);
                foreach (var e in stored)
                {
                    w.WriteNumberValue(e.Id);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        catch (EventStoreUnavailableException ex)
        {
            Log.HttpPublishFailed(loggers.CreateLogger(Log.HttpCategory), ex.Message);
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "Event store unavailable", ex.Message);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, IEventStore store, Authenticator authenticator, IOptions<HeraldOptions> options, string? topic, string? after, string? before, string? limit, CancellationToken cancellationToken)
    {
        if (!TopicFilter.TryParseList(topic, out var filters, out var error))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Invalid topic", error);
        }

        // Read here rather than bound by the framework, whose refusal of "after=x" would carry no problem details.
        if (!TryReadNumber(after, out var afterId) || !TryReadNumber(before, out var beforeId) || !TryReadNumber(limit, out var asked) || asked > int.MaxValue)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Invalid paging", "'after' and 'before' must be event ids and 'limit' a count, written as whole numbers.");
        }

        return await ListPageAsync(context, store, authenticator, options, topic, filters, afterId, beforeId, (int?)asked, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An absent query value, or one written as a whole number (an optional minus, then digits) that fits a long.</summary>
    private static bool TryReadNumber(string? text, out long? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }

        return false;
    }

    private static async Task<IResult> ListPageAsync(HttpContext context, IEventStore store, Authenticator authenticator, IOptions<HeraldOptions> options, string? topic, IReadOnlyList<TopicFilter> filters, long? after, long? before, int? limit, CancellationToken cancellationToken)
    {

        var (user, refusal) = await Access.CheckAsync(context, authenticator).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        // History is what the user may subscribe to: everything it may read when no topic is asked for.
        var (granted, forbidden) = StreamAccess.Authorize(user!, filters, !string.IsNullOrEmpty(topic));
        if (forbidden is not null)
        {
            return Problems.Refused(forbidden);
        }

        filters = granted!;

        var maxPage = options.Value.MaxHistoryPageSize;
        var size = Math.Min(limit ?? DefaultPageSize, maxPage);
        if ((limit is { } asked && (asked < 1 || asked > maxPage)) || after is < 0)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Invalid paging", $"'limit' must be 1-{maxPage} and 'after' a non-negative event id.");
        }

        var budget = new PageBudget(options.Value.MaxHistoryResponseSize);
        if (before is { } upper)
        {
            return upper < 1
                ? Problems.Result(StatusCodes.Status400BadRequest, "Invalid paging", "'before' must be a positive event id.")
                : await ListBeforeAsync(store, upper, after ?? 0, size, filters, budget, cancellationToken).ConfigureAwait(false);
        }

        // A page may come back short on a sparse topic; keep reading until it is full, holds its bytes, or the store ends.
        var events = new List<HeraldEvent>(Math.Min(size, 256));
        var cursor = after ?? 0;
        long bytes = 0;
        var spent = false;
        EventPage page;
        do
        {
            page = await store.ReadAsync(new EventQuery(cursor, budget.NextRead(size - events.Count, budget.MaxBytes - bytes), filters), cancellationToken).ConfigureAwait(false);
            foreach (var e in page.Events)
            {
                var eventBytes = budget.Measure(e);
                if (events.Count > 0 && bytes + eventBytes > budget.MaxBytes)
                {
                    spent = true;
                    break;
                }

                events.Add(e);
                bytes += eventBytes;
            }

            cursor = page.ScannedThroughId;
        }
        while (!spent && events.Count < size && !page.ReachedEnd);

        if (spent)
        {
            // The next page starts right after the last event this one could hold.
            cursor = events[^1].Id;
        }

        var next = !spent && page.ReachedEnd && events.Count < size ? (long?)null : events.Count == size ? events[^1].Id : cursor;
        return JsonBody.Write(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("events"u8);
            foreach (var e in events)
            {
                JsonBody.WriteEvent(w, e);
            }

            w.WriteEndArray();
            if (next is { } n)
            {
                w.WriteNumber("next"u8, n);
            }
            else
            {
                w.WriteNull("next"u8);
            }

            w.WriteEndObject();
        });
    }

    private static async Task<IResult> ListBeforeAsync(IEventStore store, long before, long after, int size, IReadOnlyList<TopicFilter> filters, PageBudget budget, CancellationToken cancellationToken)
    {
        var (events, prev) = await BackwardPage.ReadAsync(store, before, after, size, filters, budget, cancellationToken).ConfigureAwait(false);
        return JsonBody.Write(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("events"u8);
            foreach (var e in events)
            {
                JsonBody.WriteEvent(w, e);
            }

            w.WriteEndArray();
            if (prev is { } p)
            {
                w.WriteNumber("prev"u8, p);
            }
            else
            {
                w.WriteNull("prev"u8);
            }

            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetAsync(HttpContext context, long id, IEventStore store, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var (user, refusal) = await Access.CheckAsync(context, authenticator).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var e = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);

        // An event the user may not read is answered as if it did not exist: its topic is not the user's to learn.
        return e is null || !user!.Grants.CanRead(e.Topic)
            ? Problems.Result(StatusCodes.Status404NotFound, "Event not found", $"No stored event has id {id}.")
            : JsonBody.Write(StatusCodes.Status200OK, w => JsonBody.WriteEvent(w, e));
    }

    private static async Task<IResult> SendToSessionAsync(HttpContext context, string sessionId, HttpRequest request, IHeraldHub hub, Authenticator authenticator, IOptions<HeraldOptions> options, CancellationToken cancellationToken)
    {
        var (_, refusal) = await Access.CheckAsync(context, authenticator, g => g.Messages, "This user may not send direct messages (no herald.messages grant).").ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var (body, tooLarge) = await RequestBody.ReadAsync(request, options.Value.MaxEventSize, "Herald:MaxEventSize", cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        JsonElement data;
        using (body)
        {
            try
            {
                using var document = JsonDocument.Parse(body!.Memory);
                if (!Utf8.IsValid(body.Memory.Span) || !EventInput.IsValidText(body.Memory.Span))
                {
                    return Problems.Result(StatusCodes.Status400BadRequest, "Invalid message", "The body holds text that is not valid Unicode (invalid UTF-8, or a lone surrogate escape such as \\ud800).");
                }

                data = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid message", $"The body is not valid JSON: {ex.Message}");
            }
        }

        return await hub.SendToSessionAsync(sessionId, data, cancellationToken).ConfigureAwait(false) switch
        {
            SessionMessageOutcome.Delivered => TypedResults.Ok(new SessionSendDocument(Delivered: true, Queued: false)),
            SessionMessageOutcome.Queued => TypedResults.Accepted((string?)null, new SessionSendDocument(Delivered: false, Queued: true)),
            _ => Problems.Result(StatusCodes.Status404NotFound, "Session not found", $"No session '{sessionId}' is open or away within its time to live; it never joined, expired or was ended."),
        };
    }

    private static async Task<IResult> ListConnectionsAsync(HttpContext context, ClusterNode cluster, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var (_, refusal) = await Access.CheckAsync(context, authenticator, g => g.Admin, Access.AdminNeeded).ConfigureAwait(false);
        return refusal ?? TypedResults.Ok(await cluster.ListAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> CloseConnectionAsync(HttpContext context, string connectionId, IHeraldHub hub, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var (_, refusal) = await Access.CheckAsync(context, authenticator, g => g.Admin, Access.AdminNeeded).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        return await hub.CloseConnectionAsync(connectionId, cancellationToken: cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problems.Result(StatusCodes.Status404NotFound, "Connection not found", $"No node holds an open connection with id '{connectionId}'.");
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context, string sessionId, IHeraldHub hub, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var (_, refusal) = await Access.CheckAsync(context, authenticator, g => g.Admin, Access.AdminNeeded).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        return await hub.EndSessionAsync(sessionId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problems.Result(StatusCodes.Status404NotFound, "Session not found", $"No session '{sessionId}' exists.");
    }

    private static async Task<IResult> MetricsAsync(HttpContext context, IHeraldHub hub, Authenticator authenticator, IOptions<HeraldOptions> options)
    {
        if (options.Value.Auth.MetricsRequireAdmin)
        {
            var (_, refusal) = await Access.CheckAsync(context, authenticator, g => g.Admin, Access.AdminNeeded).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return TypedResults.Ok(hub.GetMetrics());
    }

    private static async Task<IResult> MeAsync(HttpContext context, Authenticator authenticator)
    {
        var outcome = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        var user = outcome.User;
        return TypedResults.Ok(new MeDocument(
            AuthRequired: authenticator.Required,
            Authenticated: user is not null && authenticator.Required,
            Subject: user?.Subject,
            ExpiresAt: user?.ExpiresAt,
            Grants: user is null ? null : new GrantsDocument([.. user.Grants.Subscribe.Select(f => f.Pattern)], [.. user.Grants.Publish.Select(f => f.Pattern)], user.Grants.Messages, user.Grants.Admin)));
    }

    /// <summary>Health checks with this tag (a shared log's connection, say) are components of <c>/api/health</c> too.</summary>
    public const string BackplaneTag = "backplane";

    private static async Task<IResult> HealthAsync(IEventStore store, ConnectionRegistry connections, ClusterNode cluster, IServiceProvider services, CancellationToken cancellationToken)
    {
        string storeStatus;
        string? storeError = null;
        long lastId = 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            lastId = (await store.GetBoundsAsync(timeout.Token).ConfigureAwait(false)).LastId;
            storeStatus = "healthy";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            storeStatus = "unhealthy";
            storeError = ex.Message;
        }

        var hubStatus = connections.IsStopping ? "stopping" : "healthy";
        var healthy = storeStatus == "healthy" && !connections.IsStopping;
        var components = new Dictionary<string, ComponentHealth>
        {
            ["hub"] = new(hubStatus, null, new() { ["connections"] = connections.Count, ["node"] = cluster.NodeId, ["nodes"] = cluster.Nodes }),
            ["store"] = new(storeStatus, storeError, new() { ["type"] = store.GetType().Name, ["lastId"] = lastId }),
        };
        if (services.GetService<HealthCheckService>() is { } checks)
        {
            var report = await checks.CheckHealthAsync(check => check.Tags.Contains(BackplaneTag), cancellationToken).ConfigureAwait(false);
            foreach (var (name, entry) in report.Entries)
            {
                var up = entry.Status == HealthStatus.Healthy;
                healthy &= up;
                components[name] = new(up ? "healthy" : "unhealthy", up ? null : entry.Description, entry.Data.ToDictionary(d => d.Key, d => d.Value));
            }
        }

        var body = new HealthDocument(healthy ? "healthy" : "unhealthy", cluster.NodeId, components);
        return healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
