using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;

namespace Herald.FunctionalTests.Interop;

public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonWebsocketsClientReplaysReceivesLiveAndGetsAnswersWithoutAnSdk()
    {
        await Prerequisite.RequireAsync("python3-websockets", Python, "-c", "import websockets");
        await using var app = await LoopbackApp.StartAsync(a => HeraldServer.Build(a));
        await app.Http.PostAsJsonAsync("api/events", new { topic = "interop/a", type = "first", data = new { n = 1 } });

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", "interop_client.py"));
        start.ArgumentList.Add($"ws://{app.BaseAddress.Authority}");
        using var client = Process.Start(start)!;
        var stderr = client.StandardError.ReadToEndAsync();

        Assert.Equal("READY", await client.StandardOutput.ReadLineAsync().WithTimeout());
        await app.Http.PostAsJsonAsync("api/events", new { topic = "interop/b", type = "second", data = new { n = 2 } });
        var summaryLine = await client.StandardOutput.ReadLineAsync().WithTimeout();
        await client.WaitForExitAsync().WithTimeout();

        Assert.True(client.ExitCode == 0, await stderr);
        var summary = JsonDocument.Parse(summaryLine!).RootElement;
        Assert.True(summary.GetProperty("welcome").GetBoolean());
        Assert.Equal([1L, 2L], summary.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()));
        Assert.True(summary.GetProperty("complete").GetBoolean());
        Assert.Equal(2, summary.GetProperty("live_data").GetProperty("n").GetInt32());
        Assert.Equal("p1", summary.GetProperty("pong").GetString());
        Assert.Equal("bad_request", summary.GetProperty("error").GetString());
    }
}
