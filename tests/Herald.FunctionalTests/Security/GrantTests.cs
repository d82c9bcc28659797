using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>What an authenticated user may do: every entry point enforces the same grants.</summary>
public sealed class GrantTests : IAsyncLifetime
{
    private LoopbackApp _app = null!;

    public async Task InitializeAsync() => _app = await AuthServer.StartAsync("--Herald:AllowClientPublish=true");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task TopicsOutsideTheGrantsAreRefusedWith403BeforeTheUpgradeOnEveryPath(string path)
    {
        await using var app = await AuthServer.StartAsync(path);
        var token = AuthServer.Token("alice", subscribe: ["cams/#"]);

        var outside = await RawUpgrade.SendAsync(app.BaseAddress, $"/ws/events?topics=%23&access_token={token}");
        var inside = await RawUpgrade.SendAsync(app.BaseAddress, $"/ws/events?topics=cams/%2B&access_token={token}");

        Assert.Equal(403, outside.StatusCode);
        Assert.Contains("'#'", System.Text.Json.JsonDocument.Parse(outside.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(101, inside.StatusCode);
    }

    [Fact]
    public async Task WithoutTopicsAConnectionGetsEverythingItMayReadAndNothingElse()
    {
        var (socket, _) = await _app.ConnectAsync("access_token=" + AuthServer.Token("alice", subscribe: ["cams/#"]));
        await using (socket)
        {
            await PublishAsync("house/door", 1);
            var id = await PublishAsync("cams/front", 2);

            var e = await socket.ReceiveEventAsync();

            Assert.Equal(id, e.EventId());
        }
    }

    [Fact]
    public async Task ASubscribeFrameOutsideTheGrantsIsAnsweredForbiddenAndTheConnectionStaysOpen()
    {
        var (socket, _) = await _app.ConnectAsync("topics=cams/%23&access_token=" + AuthServer.Token("alice", subscribe: ["cams/#"]));
        await using (socket)
        {
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "house/#" }, @ref = "s1" });
            var error = await socket.ReceiveAsync("error");
            await socket.SendAsync(new { type = "ping", @ref = "p1" });

            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Equal("s1", error.GetProperty("ref").GetString());
            Assert.Equal("p1", (await socket.ReceiveAsync("pong")).GetProperty("ref").GetString());
        }
    }

    [Fact]
    public async Task APublishFrameOutsideThePublishGrantsIsAnsweredForbidden()
    {
        var (socket, _) = await _app.ConnectAsync("access_token=" + AuthServer.Token("alice", publish: ["cams/#"]));
        await using (socket)
        {
            await socket.SendAsync(new { type = "publish", data = new { topic = "house/door", type = "open" }, @ref = "x" });
            await socket.SendAsync(new { type = "publish", data = new { topic = "cams/front", type = "motion" }, @ref = "y" });

            Assert.Equal("forbidden", (await socket.ReceiveAsync("error")).GetProperty("code").GetString());
            Assert.Equal("y", (await socket.ReceiveAsync("published")).GetProperty("ref").GetString());
        }
    }

    [Fact]
    public async Task RestPublishNeedsAKeyAndAGrantForEveryEventsTopic()
    {
        using var anonymous = await _app.Http.PostAsJsonAsync("api/events", new { topic = "cams/front", type = "motion" });
        using var outside = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/events", AuthServer.PublisherKey, JsonContent.Create(new[] { new { topic = "cams/front", type = "a" }, new { topic = "house/door", type = "b" } })));
        using var inside = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/events", AuthServer.PublisherKey, JsonContent.Create(new { topic = "cams/front", type = "motion" })));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Created, inside.StatusCode);
    }

    [Fact]
    public async Task HistoryShowsOnlyWhatTheUserMayRead()
    {
        var house = await PublishAsync("house/door", 1);
        var cams = await PublishAsync("cams/front", 2);
        var token = AuthServer.Token("alice", subscribe: ["cams/#"]);

        var page = await GetAsync("api/events", token);
        using var refused = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/events?topic=house/%23", token));
        using var hidden = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, $"api/events/{house}", token));
        using var shown = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, $"api/events/{cams}", token));

        Assert.Equal([cams], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }

    [Fact]
    public async Task ServerSentEventsNeedAUserAndItsGrants()
    {
        var token = AuthServer.Token("alice", subscribe: ["cams/#"]);

        using var anonymous = await _app.Http.GetAsync("api/stream", HttpCompletionOption.ResponseHeadersRead);
        using var outside = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/stream?topics=house/%23", token), HttpCompletionOption.ResponseHeadersRead);
        using var inside = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/stream?topics=cams/%23", token), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
    }

    [Fact]
    public async Task DirectMessagesNeedTheMessagesGrant()
    {
        var (socket, welcome) = await _app.ConnectAsync("access_token=" + AuthServer.Token("alice"));
        await using (socket)
        {
            var path = $"api/sessions/{welcome.GetProperty("sessionId").GetString()}/messages";

            using var withoutGrant = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, path, AuthServer.PublisherKey, JsonContent.Create(new { n = 1 })));
            using var withGrant = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, path, AuthServer.MessengerKey, JsonContent.Create(new { n = 2 })));

            Assert.Equal(HttpStatusCode.Forbidden, withoutGrant.StatusCode);
            Assert.Equal(HttpStatusCode.OK, withGrant.StatusCode);
            Assert.Equal(2, (await socket.ReceiveAsync("message")).GetProperty("data").GetProperty("n").GetInt32());
        }
    }

    [Theory]
    [InlineData("GET", "api/connections")]
    [InlineData("DELETE", "api/connections/nobody")]
    [InlineData("DELETE", "api/sessions/nobody")]
    [InlineData("GET", "api/metrics")]
    [InlineData("GET", "metrics")]
    public async Task AdminViewsNeedTheAdminGrant(string method, string path)
    {
        using var anonymous = await _app.Http.SendAsync(AuthServer.Request(new HttpMethod(method), path, null));
        using var publisher = await _app.Http.SendAsync(AuthServer.Request(new HttpMethod(method), path, AuthServer.PublisherKey));
        using var admin = await _app.Http.SendAsync(AuthServer.Request(new HttpMethod(method), path, AuthServer.AdminKey));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, publisher.StatusCode);
        Assert.True(admin.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{method} {path} as admin: {admin.StatusCode}");
    }

    [Fact]
    public async Task TheConnectionListHandsSessionIdsToAdminsOnly()
    {
        var (socket, welcome) = await _app.ConnectAsync("access_token=" + AuthServer.Token("alice"));
        await using (socket)
        {
            using var anonymous = await _app.Http.GetAsync("api/connections");
            var listed = await GetAsync("api/connections", AuthServer.AdminKey);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain(welcome.GetProperty("sessionId").GetString()!, await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("sessionId").GetString() == welcome.GetProperty("sessionId").GetString());
        }
    }

    [Fact]
    public async Task HealthStaysOpenForProbes()
    {
        using var health = await _app.Http.GetAsync("api/health");
        using var ready = await _app.Http.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private async Task<long> PublishAsync(string topic, int n)
    {
        using var response = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Post, "api/events", AuthServer.AdminKey, JsonContent.Create(new { topic, type = "t", data = new { n } })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids")[0].GetInt64();
    }

    private async Task<JsonElement> GetAsync(string path, string bearer)
    {
        using var response = await _app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, path, bearer));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
