using Herald.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>
/// Screenshots of the dashboard with real events, desktop and phone. They are written into the test output
/// (<c>screenshots/</c> beside the test assembly) and, when <c>HERALD_UPDATE_SCREENSHOTS=1</c>, into the repository's
/// <c>docs/images/</c>, which the README shows.
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string UpdateVariable = "HERALD_UPDATE_SCREENSHOTS";

    [Fact]
    public async Task DesktopAndPhoneScreenshotsShowRealEventsChartsAndConnections()
    {
        await using var server = await HeraldTestServer.StartAsync();
        for (var round = 0; round < 6; round++)
        {
            await server.PublishAsync(Samples.Household(round));
        }

        await using var desktop = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = ColorScheme.Light });
        await using var phone = await browser.NewPageAsync(Dashboard.Phone(ColorScheme.Dark));
        foreach (var page in new[] { desktop.Page, phone.Page })
        {
            await page.GotoAsync(server.BaseAddress.ToString());
            await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        }

        // A few seconds of live traffic, so the charts have something to draw.
        var wifi = Samples.UniFiWifi();
        for (var step = 0; step < 8; step++)
        {
            await server.PublishAsync(Samples.Household(step + 6)[step % 4]);
            await server.PublishAsync(wifi[step % wifi.Length]);
            await Task.Delay(TimeSpan.FromMilliseconds(400));
        }

        await server.PublishAsync(wifi[0]);
        foreach (var page in new[] { desktop.Page, phone.Page })
        {
            await Expect(page.Locator("#feed li").First.Locator(".sum")).ToHaveTextAsync("iPhone connected to LivingRoom-AP on Home-WiFi");
            await page.WaitForFunctionAsync("() => Number(document.getElementById('chart-deliveries').dataset.samples) >= 3");
            await page.Locator("#feed li[data-topic='jobs/backup']").First.Locator("summary").ClickAsync();
            await page.Locator("#feed-scroll").EvaluateAsync("e => e.scrollTop = 0");
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        }

        var desktopShot = await SaveAsync(desktop.Page, "dashboard-desktop.png", fullPage: false);
        var phoneShot = await SaveAsync(phone.Page, "dashboard-phone.png", fullPage: false);

        Assert.True(new FileInfo(desktopShot).Length > 20_000, "the desktop screenshot is nearly empty");
        Assert.True(new FileInfo(phoneShot).Length > 20_000, "the phone screenshot is nearly empty");
        Assert.True(await Dashboard.NoHorizontalScrollAsync(phone.Page));
        Assert.Empty(desktop.Problems);
        Assert.Empty(phone.Problems);
    }

    private static async Task<string> SaveAsync(IPage page, string name, bool fullPage)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        // Animations (the flash of new rows) are settled, and the caret is hidden, so the pictures do not flicker between runs.
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide }).WithTimeout();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var images = Path.Combine(RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(images);
            File.Copy(path, Path.Combine(images, name), overwrite: true);
        }

        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Herald.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"{UpdateVariable}=1, but no Herald.slnx above {AppContext.BaseDirectory}.");
    }
}
