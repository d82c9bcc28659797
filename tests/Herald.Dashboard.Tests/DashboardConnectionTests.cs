using System.Diagnostics;
using Herald.Testing;
using static Herald.Dashboard.Tests.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>Connection state: reconnecting after a restart, offline and back, and a resume that could not replay everything.</summary>
public sealed class DashboardConnectionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task RestartingTheServerShowsReconnectingThenTheEventsMissedMeanwhile()
    {
        await using var server = await HeraldTestServer.StartAsync();
        var before = await server.PublishManyAsync("restart/a", "t", 2);
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(2);

        await server.StopAsync();
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(page.Locator("#conn-text")).ToContainTextAsync("Reconnecting");
        // Wait for a back-off long enough to restart and publish before the page tries again.
        await page.WaitForFunctionAsync(
            "() => { const m = /Reconnecting in (\\d+) s/.exec(document.getElementById('conn-text').textContent); return m && Number(m[1]) >= 3; }",
            null,
            new() { Timeout = (float)Timeouts.Long.TotalMilliseconds, PollingInterval = 50 });

        await server.StartAgainAsync();
        var missed = await server.PublishManyAsync("restart/a", "t", 3, first: 3);
        Assert.Empty(server.Hub.GetConnections());
        // "Retry now" spares the test the rest of the back-off.
        await page.Locator("#retry").ClickAsync();

        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(5);
        var ids = await FeedIdsAsync(page);
        Assert.Equal([.. missed.Reverse(), .. before.Reverse()], ids);
        await Expect(page.Locator("#banner-text")).ToHaveTextAsync("Back online: 3 events arrived while disconnected.");
        // The browser reports every refused attempt; nothing else may go wrong.
        Assert.Empty(test.ProblemsBesidesReaching(server.BaseAddress));
    }

    [Fact]
    public async Task GoingOfflineShowsOfflineAndComingBackOnlineReconnectsAtOnce()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;

        await test.Context.SetOfflineAsync(true);
        await server.StopAsync();
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "offline");
        await Expect(page.Locator("#conn-text")).ToHaveTextAsync("Offline: waiting for the network");
        await server.StartAgainAsync();
        var missed = await server.PublishAsync(new { topic = "offline/a", type = "t", data = new { n = 1 } });
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "offline");

        var clock = Stopwatch.StartNew();
        await test.Context.SetOfflineAsync(false);
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        clock.Stop();
        await Expect(Row(page, missed[0])).ToBeVisibleAsync();
        // No back-off wait: the browser's "online" event starts the attempt (the shortest back-off is 0.5 s).
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Empty(test.ProblemsBesidesReaching(server.BaseAddress));
    }

    [Fact]
    public async Task AResumeThatCouldNotReplayEverythingReloadsTheFeedAndSaysWhy()
    {
        await using var server = await HeraldTestServer.StartAsync();
        var before = await server.PublishManyAsync("gap/a", "t", 3);
        await using var test = await browser.NewPageAsync();
        var page = test.Page;
        // The page's second connection is told its resume was incomplete, as when retention removed what it missed.
        var connections = 0;
        await page.RouteWebSocketAsync(url => url.Contains("/ws/events", StringComparison.Ordinal), socket =>
        {
            var second = Interlocked.Increment(ref connections) == 2;
            var real = socket.ConnectToServer();
            real.OnMessage(frame =>
            {
                var text = frame.Text ?? string.Empty;
                socket.Send(second && text.StartsWith("{\"type\":\"resumed\"", StringComparison.Ordinal) ? text.Replace("\"complete\":true", "\"complete\":false", StringComparison.Ordinal) : text);
            });
        });
        await page.GotoAsync(server.BaseAddress.ToString());
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(3);

        // An operator closes the page's connection (4003): it reconnects on its own and resumes.
        var id = Assert.Single(server.Hub.GetConnections()).Id;
        Assert.True(server.Hub.CloseConnection(id, "closed for the test"));
        var during = await server.PublishManyAsync("gap/a", "t", 2, first: 4);

        await Expect(page.Locator("#banner-text")).ToHaveTextAsync("Some events this page missed were already removed by the server's retention; the feed was reloaded.");
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        var ids = await FeedIdsAsync(page);
        Assert.Equal([.. during.Reverse(), .. before.Reverse()], ids);
        Assert.True(connections >= 3, $"the reload opens a connection of its own; there were {connections}");
        Assert.Empty(test.Problems);
    }
}
