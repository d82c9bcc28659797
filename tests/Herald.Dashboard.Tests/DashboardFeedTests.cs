using System.Diagnostics;
using static Herald.Dashboard.Tests.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The live feed: events as they arrive, sentences, filters, search, history and pause.</summary>
public sealed class DashboardFeedTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task DashboardLoadsWithNoConsoleErrorsAndNamesTheNode()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;

        await Expect(page.Locator("#node")).ToHaveTextAsync(Environment.MachineName);
        await Expect(page.Locator("#store")).ToHaveAttributeAsync("data-status", "healthy");
        await Expect(page.Locator("#store")).ToContainTextAsync("Sqlite");
        await Expect(page.Locator("#stat-published")).ToHaveTextAsync("0");
        await Expect(page.Locator("#connections .badge")).ToHaveTextAsync("this page");
        await Expect(page.Locator("#feed-end-text")).ToHaveTextAsync("No events yet.");
        await Expect(page.Locator("#publish-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#token-form")).ToBeHiddenAsync();
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task EventPublishedOverHttpAppearsInTheFeedWithinASecond()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;

        var clock = Stopwatch.StartNew();
        var ids = await server.PublishAsync(new { topic = "cameras/front", type = "motion", data = new { score = 0.93 } });
        await page.Locator($"#feed li[data-id='{ids[0]}']").WaitForAsync(new() { Timeout = 1000 });
        clock.Stop();

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        var row = page.Locator($"#feed li[data-id='{ids[0]}']");
        await Expect(row.Locator(".topic")).ToHaveTextAsync("cameras/front");
        await Expect(row.Locator(".type")).ToHaveTextAsync("motion");
        await Expect(row.Locator(".sum")).ToHaveTextAsync("score=0.93");
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task UniFiWifiEventsReadAsSentencesAndExpandFromTheKeyboardToTheirJson()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;

        var ids = await server.PublishAsync(Samples.UniFiWifi());

        await Expect(page.Locator("#feed li")).ToHaveCountAsync(5);
        await Expect(Row(page, ids[0]).Locator(".sum")).ToHaveTextAsync("iPhone connected to LivingRoom-AP on Home-WiFi");
        await Expect(Row(page, ids[1]).Locator(".sum")).ToHaveTextAsync("Pixel-8 roamed from 80:2a:a8:00:01:02 to 80:2a:a8:00:01:03 on Home-WiFi");
        await Expect(Row(page, ids[2]).Locator(".sum")).ToHaveTextAsync("MacBook switched radio on Office-AP from 2.4 GHz, channel 6 to 5 GHz, channel 44");
        await Expect(Row(page, ids[3]).Locator(".sum")).ToHaveTextAsync("Guest Galaxy-S24 connected to Patio-AP on Guest-WiFi");
        await Expect(Row(page, ids[4]).Locator(".sum")).ToHaveTextAsync("Kindle disconnected from LivingRoom-AP on Home-WiFi");

        await Row(page, ids[0]).Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var json = Row(page, ids[0]).Locator("pre");
        await Expect(json).ToBeVisibleAsync();
        await Expect(json).ToContainTextAsync("\"apName\": \"LivingRoom-AP\"");
        await Expect(json).ToContainTextAsync("\"topic\": \"unifi/default/wifi\"");
        await page.Keyboard.PressAsync("Enter");
        await Expect(json).ToBeHiddenAsync();
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task TopicPatternTypeFilterAndSearchNarrowTheFeed()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await server.PublishAsync(
            new { topic = "cameras/front", type = "motion", data = new { score = 0.9 } },
            new { topic = "cameras/back", type = "person", data = new { score = 0.7 } },
            new { topic = "cameras/front", type = "motion", data = new { score = 0.8 } },
            new { topic = "jobs/nightly", type = "done", data = new { message = "Backup finished" } },
            new { topic = "sensors/attic", type = "reading", data = new { temperature = 31.5 } });
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;
        var visible = page.Locator("#feed li:visible");
        await Expect(visible).ToHaveCountAsync(5);
        await Expect(page.Locator("#chart-topics-scope")).ToHaveTextAsync("(feed: #)");

        await page.Locator("#f-type").SelectOptionAsync("motion");
        await Expect(visible).ToHaveCountAsync(2);
        await page.Locator("#f-type").SelectOptionAsync(string.Empty);
        await Expect(visible).ToHaveCountAsync(5);

        await page.Locator("#f-search").FillAsync("backup");
        await Expect(visible).ToHaveCountAsync(1);
        await Expect(visible.Locator(".topic")).ToHaveTextAsync("jobs/nightly");
        await page.Locator("#f-search").FillAsync("31.5");
        await Expect(visible.Locator(".topic")).ToHaveTextAsync("sensors/attic");
        await page.Locator("#f-search").FillAsync(string.Empty);

        await page.Locator("#f-topic").FillAsync("cameras/+");
        await page.Locator("#f-topic").PressAsync("Enter");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(3);
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        // The topic chart counts what this feed receives, and says which feed that is.
        await Expect(page.Locator("#chart-topics-scope")).ToHaveTextAsync("(feed: cameras/+)");
        var live = await server.PublishAsync(
            new { topic = "jobs/hourly", type = "done", data = new { } },
            new { topic = "cameras/side", type = "motion", data = new { score = 0.5 } });
        await Expect(Row(page, live[1])).ToBeVisibleAsync();
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(4);
        Assert.Equal(0, await Row(page, live[0]).CountAsync());
        Assert.All(await page.Locator("#feed li").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.topic)"), t => Assert.StartsWith("cameras/", t, StringComparison.Ordinal));

        await page.Locator("#f-topic").FillAsync("cameras/#/front");
        await page.Locator("#f-topic").PressAsync("Enter");
        await Expect(page.Locator("#f-topic-error")).ToContainTextAsync("'#' is allowed only as the last segment");
        await Expect(page.Locator("#f-topic")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(4);
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task ScrollingBackLoadsOlderEventsFromTheHistoryApiUntilTheBeginning()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await server.PublishManyAsync("history/a", "tick", 250);
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;
        var rows = page.Locator("#feed li");
        await Expect(rows).ToHaveCountAsync(100);
        Assert.Equal("250", await rows.First.GetAttributeAsync("data-id"));

        var end = page.Locator("#feed-end-text");
        for (var i = 0; i < 10 && await end.TextContentAsync() != "Beginning of the history."; i++)
        {
            var loaded = await rows.CountAsync();
            await page.Locator("#feed-end").ScrollIntoViewIfNeededAsync();
            await page.WaitForFunctionAsync("n => document.querySelectorAll('#feed li').length > n || document.getElementById('feed-end-text').textContent === 'Beginning of the history.'", loaded);
        }

        await Expect(end).ToHaveTextAsync("Beginning of the history.");
        Assert.Equal(Enumerable.Range(1, 250).Reverse().Select(i => (long)i), await FeedIdsAsync(page));
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task PauseHoldsNewEventsAndResumeShowsEveryOneInOrder()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;
        var first = await server.PublishAsync(new { topic = "pause/a", type = "t", data = new { n = 0 } });
        await Expect(Row(page, first[0])).ToBeVisibleAsync();

        await page.Locator("body").PressAsync("p");
        await Expect(page.Locator("#pause")).ToHaveAttributeAsync("aria-pressed", "true");
        var held = await server.PublishManyAsync("pause/a", "t", 5);
        await Expect(page.Locator("#banner-text")).ToHaveTextAsync("Paused: 5 new events held.");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(1);

        await page.Locator("#banner-action").ClickAsync();
        await Expect(page.Locator("#pause")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(6);
        var ids = await FeedIdsAsync(page);
        Assert.Equal([.. held.Reverse(), first[0]], ids);
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();
        Assert.Empty(test.Problems);
    }
}
