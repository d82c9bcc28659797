using Microsoft.AspNetCore.SignalR;

namespace Herald.Benchmarks.Servers;

/// <summary>The SignalR reference hub: clients only listen, in the group of their topic; events arrive through IHubContext.</summary>
public sealed class BenchHub : Hub
{
    /// <summary>
    /// Joins the group of the <c>topic</c> query parameter (default <c>bench</c>), then says welcome: the handshake
    /// answer comes before that, so a client that waited only for it could miss the first broadcast.
    /// </summary>
    public override async Task OnConnectedAsync()
    {
        var topic = Context.GetHttpContext()?.Request.Query["topic"].ToString();
        await Groups.AddToGroupAsync(Context.ConnectionId, string.IsNullOrEmpty(topic) ? "bench" : topic);
        await Clients.Caller.SendAsync("welcome");
    }
}
