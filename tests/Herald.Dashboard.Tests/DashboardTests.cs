using System.Diagnostics;
using System.Net.WebSockets;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task DashboardLoadsWithNoConsoleErrorsAndNamesTheNode()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
        var page = test.Page;

        await Expect(page.Locator("#node")).ToHaveTextAsync(Environment.MachineName);
        await Expect(page.Locator("#store")).ToHaveAttributeAsync("data-status", "healthy");
        await Expect(page.Locator("#store")).ToContainTextAsync("Sqlite");
        await Expect(page.Locator("#stat-published")).ToHaveTextAsync("0");
        await Expect(page.Locator("#connections .badge")).ToHaveTextAsync("this page");
        await Expect(page.Locator("#feed-end-text")).ToHaveTextAsync("No events yet.");
        await Expect(page.Locator("#publish-panel")).ToBeVisibleAsync();
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task EventPublishedOverHttpAppearsInTheFeedWithinASecond()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
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
        await using var test = await OpenAsync(server);
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
        await using var test = await OpenAsync(server);
        var page = test.Page;
        var visible = page.Locator("#feed li:visible");
        await Expect(visible).ToHaveCountAsync(5);

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
        await using var test = await OpenAsync(server);
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
        var ids = await rows.EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))");
        Assert.Equal(Enumerable.Range(1, 250).Reverse().Select(i => (long)i), ids);
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task PauseHoldsNewEventsAndResumeShowsEveryOneInOrder()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
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
        var ids = await page.Locator("#feed li").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))");
        Assert.Equal([.. held.Reverse(), first[0]], ids);
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task RestartingTheServerShowsReconnectingThenTheEventsMissedMeanwhile()
    {
        await using var server = await HeraldTestServer.StartAsync();
        var before = await server.PublishManyAsync("restart/a", "t", 2);
        await using var test = await OpenAsync(server);
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

        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(5);
        var ids = await page.Locator("#feed li").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))");
        Assert.Equal([.. missed.Reverse(), .. before.Reverse()], ids);
        await Expect(page.Locator("#banner-text")).ToHaveTextAsync("Back online: 3 events arrived while disconnected.");
    }

    [Fact]
    public async Task GoingOfflineShowsOfflineAndComingBackOnlineReconnectsAtOnce()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
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
    }

    [Fact]
    public async Task ChartsAndCountersFollowTheServersMetrics()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
        var page = test.Page;

        await server.PublishManyAsync("cameras/front", "motion", 20);
        await server.PublishManyAsync("jobs/nightly", "done", 10);

        await Expect(page.Locator("#stat-published")).ToHaveTextAsync("30");
        await Expect(page.Locator("#stat-last-id")).ToHaveTextAsync("30");
        await Expect(page.Locator("#stat-connections")).ToHaveTextAsync("1");
        await Expect(page.Locator("#chart-topics .legend li[data-series='cameras/front']")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-topics .legend li[data-series='jobs/nightly']")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-topics path.line[data-series='cameras/front']")).ToHaveCountAsync(1);
        await page.WaitForFunctionAsync("() => Number(document.getElementById('chart-topics').dataset.max) > 0");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('chart-deliveries').dataset.max) > 0");
        await Expect(page.Locator("#chart-connections .legend li[data-series='open'] .value")).ToHaveTextAsync("1");
        var samples = int.Parse(await page.Locator("#chart-connections").GetAttributeAsync("data-samples") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync("n => Number(document.getElementById('chart-connections').dataset.samples) > n", samples);
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task ConnectionsListShowsEveryClientAndClosesOneAfterConfirmation()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
        var page = test.Page;
        var (other, welcome) = await JsonSocket.ConnectWelcomedAsync(server.App.WebSocketUri("ws/events?topics=tools/%23"));
        await using var _ = other;
        var otherId = welcome.GetProperty("connectionId").GetString()!;

        await page.Locator("#connections-refresh").ClickAsync();
        var entry = page.Locator($"#connections li[data-connection='{otherId}']");
        await Expect(page.Locator("#connections li")).ToHaveCountAsync(2);
        await Expect(entry).ToContainTextAsync("tools/#");
        var close = entry.GetByRole(AriaRole.Button, new() { Name = $"Close connection {otherId}" });
        await close.ClickAsync();
        await Expect(close).ToHaveTextAsync("Confirm close");
        Assert.Equal(2, server.Hub.GetConnections().Count);
        await close.ClickAsync();

        Assert.Equal((WebSocketCloseStatus)4003, await other.WaitForCloseAsync());
        await Expect(page.Locator("#connections li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#connections .badge")).ToHaveTextAsync("this page");
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task PublishFormStoresAnEventThatAppearsInTheFeed()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await OpenAsync(server);
        var page = test.Page;
        var form = page.Locator("#publish");

        await form.GetByLabel("Topic").FillAsync("doorbell/front");
        await form.GetByLabel("Type").FillAsync("ring");
        await form.GetByLabel("Data (JSON)").FillAsync("{\"text\": \"Someone is at the door\"}");
        await form.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

        await Expect(page.Locator("#publish-result")).ToHaveTextAsync("Stored as #1");
        await Expect(Row(page, 1).Locator(".sum")).ToHaveTextAsync("Someone is at the door");
        await Expect(Row(page, 1).Locator(".topic")).ToHaveTextAsync("doorbell/front");

        await form.GetByLabel("Data (JSON)").FillAsync("{not json");
        await form.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.Locator("#publish-result")).ToContainTextAsync("Data is not valid JSON");
        await form.GetByLabel("Data (JSON)").FillAsync("{}");
        await form.GetByLabel("Topic").FillAsync("bad/#");
        await form.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.Locator("#publish-result")).ToContainTextAsync("Refused:");
        // The refused publish is the only thing that went wrong (the browser reports the 400 as well).
        Assert.Contains(test.Problems, p => p.StartsWith("HTTP 400: POST", StringComparison.Ordinal));
        Assert.All(test.Problems, p => Assert.Contains("400", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVisitorWithoutGrantsSeesEventsButNotThePublishFormOrTheCloseAction()
    {
        const string secret = "dashboard-tests-secret-of-32-bytes-or-more";
        SecretScanner.Register(secret);
        await using var server = await HeraldTestServer.StartAsync(null, $"--Herald:Auth:Jwt:Secret={secret}", "--Herald:Auth:MetricsRequireAdmin=false");
        var token = HeraldTokens.Create(new HeraldTokenRequest { Subject = "visitor", Subscribe = ["#"] }, HeraldTokens.FromSecret(secret));
        await using var test = await OpenAsync(server, "#token=" + token);
        var page = test.Page;

        await Expect(page.Locator("#user")).ToHaveTextAsync("signed in as visitor");
        await Expect(page.Locator("#connections li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#publish-panel")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("#connections button").CountAsync());
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task PhoneLayoutHasNoHorizontalScrollEvenWithLongTopicsAndOpenJson()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await server.PublishAsync(Samples.UniFiWifi());
        await server.PublishAsync(new
        {
            topic = "buildings/north-campus/floor-12/meeting-room-with-a-very-long-name/sensors/co2",
            type = "threshold-exceeded-for-a-long-time",
            data = new { message = string.Join(' ', Enumerable.Repeat("a-very-long-unbroken-word-that-keeps-going", 8)), value = 1450, unit = "ppm" },
        });
        await using var test = await browser.NewPageAsync(Phone());
        var page = test.Page;
        await page.GotoAsync(server.BaseAddress.ToString());
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#feed li")).ToHaveCountAsync(6);

        Assert.True(await NoHorizontalScrollAsync(page), "the phone layout scrolls sideways");
        await page.Locator("#feed li").First.Locator("summary").ClickAsync();
        await Expect(page.Locator("#feed li").First.Locator("pre")).ToBeVisibleAsync();
        Assert.True(await NoHorizontalScrollAsync(page), "an open event's JSON makes the page scroll sideways");
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task ThemeFollowsTheSystemUntilTheToggleChoosesAndTheChoiceIsKept()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = ColorScheme.Dark });
        var page = test.Page;
        await page.GotoAsync(server.BaseAddress.ToString());
        var theme = page.Locator("#theme");

        await Expect(theme).ToHaveTextAsync("Theme: auto");
        Assert.Equal("rgb(15, 18, 22)", await BackgroundAsync(page));
        await theme.ClickAsync();
        await Expect(theme).ToHaveTextAsync("Theme: dark");
        Assert.Equal("rgb(15, 18, 22)", await BackgroundAsync(page));
        await theme.ClickAsync();
        await Expect(theme).ToHaveTextAsync("Theme: light");
        Assert.Equal("rgb(245, 246, 248)", await BackgroundAsync(page));

        await page.ReloadAsync();
        await Expect(theme).ToHaveTextAsync("Theme: light");
        Assert.Equal("rgb(245, 246, 248)", await BackgroundAsync(page));
        Assert.Empty(test.Problems);
    }

    internal static BrowserNewContextOptions Phone(ColorScheme scheme = ColorScheme.Light) => new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        ColorScheme = scheme,
    };

    internal static ILocator Row(IPage page, long id) => page.Locator($"#feed li[data-id='{id}']");

    internal static Task<bool> NoHorizontalScrollAsync(IPage page)
        => page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth");

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    private async Task<TestPage> OpenAsync(HeraldTestServer server, string fragment = "")
    {
        var test = await browser.NewPageAsync();
        await test.Page.GotoAsync(server.BaseAddress + fragment);
        await Expect(test.Page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        return test;
    }
}
