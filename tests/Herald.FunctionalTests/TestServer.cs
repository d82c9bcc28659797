using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests;

/// <summary>Starts the standalone server on loopback and talks to it the way clients do.</summary>
internal static class TestServer
{
    /// <summary>Starts <see cref="HeraldServer"/> with <paramref name="args"/> (<c>--Herald:Key=value</c>), logging warnings only.</summary>
    public static Task<LoopbackApp> StartAsync(params string[] args)
        => LoopbackApp.StartAsync(a => HeraldServer.Build(a), ["--Logging:LogLevel:Default=Warning", .. args]);

    public static IHeraldHub Hub(this LoopbackApp app) => app.Services.GetRequiredService<IHeraldHub>();

    /// <summary>Opens a WebSocket to <c>/ws/events?<paramref name="query"/></c> and returns it with its welcome frame.</summary>
    public static Task<(JsonSocket Socket, JsonElement Welcome)> ConnectAsync(this LoopbackApp app, string query = "", Action<ClientWebSocketOptions>? configure = null)
        => JsonSocket.ConnectWelcomedAsync(app.WebSocketUri(query.Length == 0 ? "ws/events" : "ws/events?" + query), configure);

    /// <summary>Publishes through <c>POST /api/events</c> and returns the assigned ids.</summary>
    public static async Task<long[]> PublishAsync(this LoopbackApp app, object body)
    {
        using var response = await app.Http.PostAsJsonAsync("api/events", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. answer.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64())];
    }

    /// <summary>Publishes one event through the REST API with <c>Authorization: Bearer <paramref name="bearer"/></c> and returns its id.</summary>
    public static async Task<long> PublishAsync(this LoopbackApp app, object body, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/events") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var response = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids")[0].GetInt64();
    }

    /// <summary>Publishes one event through the REST API and returns its id.</summary>
    public static async Task<long> PublishAsync(this LoopbackApp app, string topic, string type = "test", object? data = null)
        => (await app.PublishAsync(new { topic, type, data })).Single();

    public static Task<JsonElement> GetJsonAsync(this LoopbackApp app, string path) => app.Http.GetFromJsonAsync<JsonElement>(path);

    public static Task<JsonElement> MetricsAsync(this LoopbackApp app) => app.GetJsonAsync("api/metrics");
}
