using System.Net.WebSockets;
using Herald.Testing;
using Microsoft.Playwright;
using static Herald.Dashboard.Tests.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The dashboard on a server with authentication on: what each grant shows, and an admin's close.</summary>
public sealed class DashboardAuthTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AVisitorWithoutGrantsSeesEventsButNotThePublishFormOrTheCloseAction()
    {
        await using var server = await StartAsync("--Herald:Auth:MetricsRequireAdmin=false");
        await using var test = await browser.OpenDashboardAsync(server, "#token=" + Token("visitor"));
        var page = test.Page;

        await Expect(page.Locator("#user")).ToHaveTextAsync("signed in as visitor");
        await Expect(page.Locator("#connections li")).ToHaveTextAsync("Only administrators see the connections.");
        await Expect(page.Locator("#publish-panel")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("#connections button").CountAsync());
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task AHolderOfThePublishGrantSeesTheFormAndPublishesWithinIt()
    {
        await using var server = await StartAsync();
        await using var test = await browser.OpenDashboardAsync(server, "#token=" + Token("kiosk", publish: ["demo/#"]));
        var page = test.Page;
        var form = page.Locator("#publish");

        await Expect(page.Locator("#publish-panel")).ToBeVisibleAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.Locator("#publish-result")).ToHaveTextAsync("Stored as #1");
        await Expect(Row(page, 1).Locator(".topic")).ToHaveTextAsync("demo/hello");
        await form.GetByLabel("Topic").FillAsync("doors/front");
        await form.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.Locator("#publish-result")).ToContainTextAsync("Refused:");

        // Without the admin grant the metrics are refused once, and the page stops asking and says why.
        await Expect(page.Locator("#metrics-error")).ToHaveTextAsync("Metrics need the admin grant on this server.");
        Assert.Equal(0, await page.Locator("#connections button").CountAsync());
        Assert.Collection(
            test.Problems.Where(p => p.StartsWith("HTTP", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            p => Assert.StartsWith("HTTP 403: GET", p, StringComparison.Ordinal),
            p => Assert.StartsWith("HTTP 403: POST", p, StringComparison.Ordinal));
        Assert.All(test.Problems, p => Assert.Contains("403", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdminClosesAnotherUsersConnection()
    {
        await using var server = await StartAsync();
        await using var test = await browser.OpenDashboardAsync(server, "#token=" + Token("ops", admin: true));
        var page = test.Page;
        var (other, welcome) = await JsonSocket.ConnectWelcomedAsync(server.App.WebSocketUri("ws/events?topics=tools/%23&access_token=" + Token("bob")));
        await using var _ = other;
        var otherId = welcome.GetProperty("connectionId").GetString()!;

        await page.Locator("#connections-refresh").ClickAsync();
        var close = page.Locator($"#connections li[data-connection='{otherId}']").GetByRole(AriaRole.Button, new() { Name = $"Close connection {otherId}" });
        await close.ClickAsync();
        await close.ClickAsync();

        Assert.Equal((WebSocketCloseStatus)4003, await other.WaitForCloseAsync());
        await Expect(page.Locator("#connections li")).ToHaveCountAsync(1);
        Assert.Empty(test.Problems);
    }

    private static Task<HeraldTestServer> StartAsync(params string[] more) => AuthServer.StartAsync(more);

    private static string Token(string subject, string[]? publish = null, bool admin = false) => AuthServer.Token(subject, publish, admin);
}
