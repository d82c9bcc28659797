using System.Net;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>What a browser's <c>EventSource</c> sees on <c>/api/stream</c>: unnamed event records unless named ones are asked for.</summary>
public sealed class SseFormatTests
{
    [Fact]
    public async Task EveryEventArrivesAsAnUnnamedRecordSoOnMessageReceivesIt()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync("feed/a", "motion", new { n = 1 });
        await app.PublishAsync("feed/b", "resumed", new { n = 2 });

        using var response = await app.Http.GetAsync("api/stream?topics=feed/%23&since=0", HttpCompletionOption.ResponseHeadersRead).WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var replay = await SseReader.ReadRecordsAsync(reader, until: r => r.Event == "resumed");
        await app.PublishAsync("feed/a", "motion", new { n = 3 });
        var live = await SseReader.ReadRecordsAsync(reader, until: r => r.Id is not null);

        var events = replay.Concat(live).Where(r => r.Id is not null).ToList();
        Assert.Equal(["1", "2", "3"], events.Select(r => r.Id));
        Assert.All(events, r => Assert.Null(r.Event));
        var json = events.Select(r => JsonDocument.Parse(r.Data!).RootElement).ToList();
        Assert.Equal(["motion", "resumed", "motion"], json.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2L, 3L], json.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal("feed/b", json[1].GetProperty("topic").GetString());

        // The control record is named, carries no id (Last-Event-ID stays on the last event) and says what it is.
        var resumed = replay.Single(r => r.Event == "resumed");
        Assert.Null(resumed.Id);
        var frame = JsonDocument.Parse(resumed.Data!).RootElement;
        Assert.Equal("resumed", frame.GetProperty("type").GetString());
        Assert.True(frame.GetProperty("complete").GetBoolean());
        Assert.Equal(2, frame.GetProperty("lastId").GetInt64());
    }

    [Fact]
    public async Task NamedRecordsCarryTheEventTypeWhenAskedFor()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync("feed/a", "motion");

        using var response = await app.Http.GetAsync("api/stream?topics=feed/%23&since=0&sseEvents=named", HttpCompletionOption.ResponseHeadersRead).WithTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var records = await SseReader.ReadRecordsAsync(reader, until: r => r.Event == "resumed");

        var e = Assert.Single(records, r => r.Id is not null);
        Assert.Equal("motion", e.Event);
        Assert.Equal("1", e.Id);
        Assert.Equal("motion", JsonDocument.Parse(e.Data!).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task AStreamTheServerEndsCarriesTheCloseCodeAndReasonInALastComment()
    {
        await using var app = await TestServer.StartAsync();
        using var closedResponse = await app.Http.GetAsync("api/stream?topics=feed/%23", HttpCompletionOption.ResponseHeadersRead).WithTimeout();
        using var closed = new StreamReader(await closedResponse.Content.ReadAsStreamAsync());
        await SseReader.ReadRecordsAsync(closed, until: r => r.Comment == "connected");
        // The comment goes out as the stream opens, a moment before the hub lists the connection.
        await Timeouts.Until(() => app.Hub().GetConnections().Count == 1, "the hub lists the stream");
        var id = Assert.Single(app.Hub().GetConnections()).Id;
        using var shutdownResponse = await app.Http.GetAsync("api/stream?topics=feed/%23", HttpCompletionOption.ResponseHeadersRead).WithTimeout();
        using var shutdown = new StreamReader(await shutdownResponse.Content.ReadAsStreamAsync());
        await SseReader.ReadRecordsAsync(shutdown, until: r => r.Comment == "connected");

        // An operator's close (4003, with the operator's words), then the server's shutdown (1001).
        Assert.True(await app.Hub().CloseConnectionAsync(id, "maintenance: line one\nline two").AsTask().WithTimeout());
        var byOperator = await SseReader.ReadRecordsAsync(closed, until: r => r.Comment?.StartsWith("closed", StringComparison.Ordinal) == true);
        await app.StopAsync();
        var byShutdown = await SseReader.ReadRecordsAsync(shutdown, until: r => r.Comment?.StartsWith("closed", StringComparison.Ordinal) == true);

        Assert.Equal("closed 4003 maintenance: line one line two", byOperator[^1].Comment);
        Assert.Equal("closed 1001 server shutting down", byShutdown[^1].Comment);
        Assert.All(byOperator.Concat(byShutdown), r => Assert.Null(r.Data));
        Assert.Null(await closed.ReadLineAsync().WithTimeout());
        Assert.Null(await shutdown.ReadLineAsync().WithTimeout());
    }

    [Fact]
    public async Task AnUnknownRecordNamingIsRefusedWith400()
    {
        await using var app = await TestServer.StartAsync();

        using var response = await app.Http.GetAsync("api/stream?sseEvents=typed").WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sseEvents", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
