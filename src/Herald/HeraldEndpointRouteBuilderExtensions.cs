using Herald.Internal.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Herald's endpoints.</summary>
public static class HeraldEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the WebSocket endpoint <c>GET /ws/events</c> and the REST API under <c>/api</c>
    /// (events, sessions, connections, health, metrics). Requires <c>AddHerald()</c>.
    /// </summary>
    /// <param name="endpoints">The app or a route group (use a group to add a path prefix).</param>
    /// <returns>A builder for every Herald endpoint, to add authorization or other conventions.</returns>
    public static IEndpointConventionBuilder MapHerald(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var herald = endpoints.MapGroup(string.Empty);

        // The WebSocket middleware runs only on this endpoint, as SignalR's hubs do: the host app need not call UseWebSockets.
        var socketPipeline = endpoints.CreateApplicationBuilder();
        socketPipeline.UseWebSockets();
        socketPipeline.Run(context => context.RequestServices.GetRequiredService<WebSocketEndpoint>().HandleAsync(context));
        herald.MapGet("/ws/events", socketPipeline.Build())
            .WithName("EventsWebSocket")
            .WithSummary("WebSocket endpoint (protocol v1)")
            .WithDescription("Upgrade to a WebSocket. Query: topics (comma-separated patterns, '+' as %2B and '#' as %23), session, resume, since. The JSON frame protocol is documented in docs/protocol.md.");

        HeraldApi.Map(herald.MapGroup("/api").WithTags("Herald"));
        return herald;
    }
}
