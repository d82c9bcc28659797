using Herald.Internal.Http;
using Herald.Internal.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Herald's endpoints.</summary>
public static class HeraldEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the WebSocket endpoint <c>GET /ws/events</c> and the REST API under <c>/api</c>
    /// (events, sessions, connections, health, metrics). Requires <c>AddHerald()</c>. The REST API carries Herald's rate
    /// limit policy (<c>Herald:RateLimit</c>), which ASP.NET Core's rate limiter applies once the app calls
    /// <c>app.UseRateLimiter()</c>, after authentication so authenticated callers are limited by user.
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

        HeraldApi.Map(herald.MapGroup("/api").WithTags("Herald").RequireRateLimiting(RestRateLimit.PolicyName));
        return herald;
    }

    /// <summary>
    /// Lets only holders of Herald's admin grant (<see cref="Herald.HeraldClaims.Admin"/>) reach these endpoints while Herald's
    /// authentication is on: 401 without valid credentials, 403 without the grant. With authentication off it changes nothing.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint builder.</typeparam>
    /// <param name="builder">The endpoints, such as the one <c>MapHeraldMetrics</c> returns.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static TBuilder RequireHeraldAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            // Fail closed: an endpoint this cannot wrap would otherwise be served to everyone.
            var inner = endpoint.RequestDelegate
                ?? throw new InvalidOperationException($"RequireHeraldAdmin cannot guard '{endpoint.DisplayName}': it has no request delegate.");

            endpoint.RequestDelegate = async context =>
            {
                var authenticator = context.RequestServices.GetRequiredService<Authenticator>();
                var (_, refusal) = await Access.CheckAsync(context, authenticator, g => g.Admin, Access.AdminNeeded).ConfigureAwait(false);
                if (refusal is not null)
                {
                    await refusal.ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                await inner(context).ConfigureAwait(false);
            };
        });
        return builder;
    }
}
