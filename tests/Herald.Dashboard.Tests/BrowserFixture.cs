using Herald.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>
/// One headless Chromium for every browser test: Debian's <c>chromium</c> package, driven by Playwright. Playwright
/// never downloads a browser here; it starts this executable with a fresh temporary profile of its own. Each test class
/// takes this fixture; the classes run in parallel and share the one browser (started by the first, closed by the last),
/// each test in a browser context of its own.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package installs the browser (<c>eng/setup.sh</c> installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? s_playwright;
    private static IBrowser? s_browser;
    private static int s_users;

    public IBrowser Browser => s_browser ?? throw new InvalidOperationException("The browser did not start.");

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_users++ == 0)
            {
                await LaunchAsync();
            }
        }
        catch
        {
            s_users--;
            throw;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new, isolated browser context (its own storage) with a page in it.</summary>
    public async Task<TestPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout((float)Timeouts.Default.TotalMilliseconds);
        var page = await context.NewPageAsync();
        return new TestPage(context, page);
    }

    /// <summary>Opens the dashboard of <paramref name="server"/> (with <paramref name="fragment"/>, such as <c>#token=...</c>) and waits until its feed is connected.</summary>
    public async Task<TestPage> OpenDashboardAsync(HeraldTestServer server, string fragment = "")
    {
        var test = await NewPageAsync();
        await test.Page.GotoAsync(server.BaseAddress + fragment);
        await Expect(test.Page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        return test;
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--s_users == 0)
            {
                await CloseAsync();
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task LaunchAsync()
    {
        await Prerequisite.RequireAsync("chromium", ChromiumPath, "--version");
        Assertions.SetDefaultExpectTimeout((float)Timeouts.Default.TotalMilliseconds);
        s_playwright = await Playwright.CreateAsync().WithTimeout(Timeouts.Long);
        s_browser = await s_playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = (float)Timeouts.Long.TotalMilliseconds,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    private static async Task CloseAsync()
    {
        if (s_browser is not null)
        {
            await s_browser.CloseAsync();
            s_browser = null;
        }

        s_playwright?.Dispose();
        s_playwright = null;
    }
}
