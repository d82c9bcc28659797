using System.Net.WebSockets;
using Herald.Testing;
using Microsoft.Playwright;
using static Herald.Dashboard.Tests.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>Charts and counters, the connection list, the publish form, the phone layout and the theme.</summary>
public sealed class DashboardPanelTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ChartsAndCountersFollowTheServersMetrics()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
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
    public async Task TheLatencyChartShowsEachSecondsBroadcastsNotEverythingSinceStartUp()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
        var page = test.Page;
        var p50 = page.Locator("#chart-latency .legend li[data-series='p50'] .value");
        var max = page.Locator("#chart-latency .legend li[data-series='max'] .value");

        // A second with broadcasts has percentiles; a second without has none, however many came before.
        await server.PublishManyAsync("latency/a", "t", 20);
        await Expect(p50).Not.ToHaveTextAsync("–");
        await Expect(max).Not.ToHaveTextAsync("–");
        await Expect(p50).ToHaveTextAsync("–");
        await Expect(max).ToHaveTextAsync("–");
        await server.PublishManyAsync("latency/a", "t", 5, first: 21);
        await Expect(p50).Not.ToHaveTextAsync("–");

        Assert.True(await page.Locator("#chart-latency path.line[data-series='p50']").CountAsync() > 0);
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task ConnectionsListShowsEveryClientAndClosesOneAfterConfirmation()
    {
        await using var server = await HeraldTestServer.StartAsync();
        await using var test = await browser.OpenDashboardAsync(server);
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
        // The list is drawn again every few seconds; a confirmation outlives that.
        var first = await close.ElementHandleAsync();
        await page.Locator("#connections-refresh").ClickAsync();
        await page.WaitForFunctionAsync("button => !button.isConnected", first);
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
        await using var test = await browser.OpenDashboardAsync(server);
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

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
