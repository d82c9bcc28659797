using Microsoft.AspNetCore.SignalR;

namespace Herald.Benchmarks.Servers;

/// <summary>The SignalR reference hub: clients only listen; events arrive through IHubContext.</summary>
public sealed class BenchHub : Hub
{
    /// <summary>
    /// Says welcome once the connection is in <c>Clients.All</c>: the handshake answer comes before that,
    /// so a client that waited only for it could miss the first broadcast.
    /// </summary>
    public override Task OnConnectedAsync()
    {
        return Clients.Caller.SendAsync("welcome");
    }
}
