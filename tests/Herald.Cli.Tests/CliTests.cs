using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;

namespace Herald.Cli.Tests;

public sealed class CliTests : IAsyncLifetime
{
    private LoopbackApp _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackApp.StartAsync(a => HeraldServer.Build(a), "--Herald:HeartbeatInterval=00:00:00.200");

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task PublishWithInlineDataPrintsTheNewIdAndExitsZero()
    {
        var (code, output, error) = await RunAsync(null, "publish", "--server", Server, "--topic", "cameras/front", "--type", "motion", "--data", """{"x":1}""", "--source", "cli");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var stored = await GetEventAsync(long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("cameras/front", stored.GetProperty("topic").GetString());
        Assert.Equal("cli", stored.GetProperty("source").GetString());
        Assert.Equal(1, stored.GetProperty("data").GetProperty("x").GetInt32());
    }

    [Fact]
    public async Task PublishWithDataFromAFilePublishesTheFilesJson()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{"from":"file"}""");

            var (code, output, _) = await RunAsync(null, "publish", "--server", Server, "--topic", "t", "--type", "x", "--data", "@" + path);

            Assert.Equal(0, code);
            var stored = await GetEventAsync(long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("file", stored.GetProperty("data").GetProperty("from").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PublishWithoutDataPublishesEachLineOfStdinAsOneEvent()
    {
        var (code, output, _) = await RunAsync("1\n{\"a\":2}\n\n\"three\"\n", "publish", "--server", Server, "--topic", "t", "--type", "x");

        Assert.Equal(0, code);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(1, (await GetEventAsync(ids[0])).GetProperty("data").GetInt32());
        Assert.Equal(2, (await GetEventAsync(ids[1])).GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal("three", (await GetEventAsync(ids[2])).GetProperty("data").GetString());
    }

    [Fact]
    public async Task PublishRefusedByTheServerExitsNonZeroWithTheProblemDetail()
    {
        var (code, output, error) = await RunAsync(null, "publish", "--server", Server, "--topic", "bad/#", "--type", "x", "--data", "1");

        Assert.NotEqual(0, code);
        Assert.Empty(output);
        Assert.Contains("400", error, StringComparison.Ordinal);
        Assert.Contains("#", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishToAnUnreachableServerExitsNonZeroWithTheConnectionError()
    {
        var (code, _, error) = await RunAsync(null, "publish", "--server", "http://127.0.0.1:1", "--topic", "t", "--type", "x", "--data", "1");

        Assert.NotEqual(0, code);
        Assert.Contains("cannot reach", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TailJsonResumesAfterSinceThenPrintsLiveEventsUntilCancelled()
    {
        var first = await PublishAsync("a/1", 1);
        var second = await PublishAsync("a/2", 2);
        await PublishAsync("b/1", 3);
        var output = new LineWriter();
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var console = new CliConsole(TextReader.Null, output, new LineWriter());
        var tail = HeraldCommandLine.Parse(["tail", "--server", Server, "--topics", "a/#", "--since", $"{first}", "--json"], console).InvokeAsync(cancellationToken: cts.Token);

        var replayed = JsonDocument.Parse(await output.ReadLineAsync()).RootElement;
        Assert.Equal(second, replayed.GetProperty("id").GetInt64());
        Assert.Equal("a/2", replayed.GetProperty("topic").GetString());
        var live = await PublishAsync("a/3", 4);
        var liveLine = JsonDocument.Parse(await output.ReadLineAsync()).RootElement;
        Assert.Equal(live, liveLine.GetProperty("id").GetInt64());
        Assert.Equal(4, liveLine.GetProperty("data").GetInt32());

        await cts.CancelAsync();
        Assert.Equal(0, await tail.WaitAsync(Timeouts.Default));
    }

    [Fact]
    public async Task TailPrintsAReadableLinePerEvent()
    {
        var output = new LineWriter();
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var since = await PublishAsync("x", 0);
        var tail = HeraldCommandLine.Parse(["tail", "--server", Server, "--since", $"{since}"], new CliConsole(TextReader.Null, output, new LineWriter())).InvokeAsync(cancellationToken: cts.Token);

        var id = await PublishAsync("cameras/front", 5);
        var line = await output.ReadLineAsync();

        Assert.Matches($@"^#{id} \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z cameras/front test 5$", line);
        await cts.CancelAsync();
        Assert.Equal(0, await tail.WaitAsync(Timeouts.Default));
    }

    [Fact]
    public async Task TailWithMaxReconnectsGivesUpOnAnUnreachableServerAndExitsNonZero()
    {
        var (code, output, error) = await RunAsync(null, "tail", "--server", "http://127.0.0.1:1", "--max-reconnects", "0");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal("herald tail: gave up after 0 failed reconnect attempts; last error: Unable to connect to the remote server\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task TailWithMaxReconnectsPrintsWhatArrivedThenGivesUpOnceTheServerIsGone()
    {
        var output = new LineWriter();
        var error = new LineWriter();
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var since = await PublishAsync("x", 0);
        var tail = HeraldCommandLine.Parse(["tail", "--server", Server, "--since", $"{since}", "--max-reconnects", "1"], new CliConsole(TextReader.Null, output, error)).InvokeAsync(cancellationToken: cts.Token);
        var id = await PublishAsync("cameras/front", 7);
        Assert.StartsWith($"#{id} ", await output.ReadLineAsync(), StringComparison.Ordinal);

        await _server.StopAsync();

        Assert.Equal(1, await tail.WaitAsync(Timeouts.Long));
        Assert.Contains("); retrying", error.Text, StringComparison.Ordinal);
        Assert.Contains("gave up after 1 failed reconnect attempts", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TailWithANegativeMaxReconnectsIsRefusedAsInvalidInput()
    {
        var (code, _, error) = await RunAsync(null, "tail", "--server", Server, "--max-reconnects", "-1");

        Assert.Equal(PublishCommand.InvalidInput, code);
        Assert.Equal("herald tail: --max-reconnects must be 0 or more.\n", error.ReplaceLineEndings("\n"));
    }

    private string Server => _server.BaseAddress.ToString();

    private static Task<(int Code, string Output, string Error)> RunAsync(string? stdin, params string[] args) => CliRunner.RunAsync(stdin, args);

    private async Task<long> PublishAsync(string topic, int data)
    {
        using var response = await _server.Http.PostAsJsonAsync("api/events", new { topic, type = "test", data });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids")[0].GetInt64();
    }

    private async Task<JsonElement> GetEventAsync(long id) => await _server.Http.GetFromJsonAsync<JsonElement>($"api/events/{id}");
}
