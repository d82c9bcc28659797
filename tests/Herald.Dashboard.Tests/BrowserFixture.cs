using Herald.Testing;
using Microsoft.Playwright;

namespace Herald.Dashboard.Tests;

/// <summary>
/// One headless Chromium for every browser test: Debian's <c>chromium</c> package, driven by Playwright. Playwright
/// never downloads a browser here; it starts this executable with a fresh temporary profile of its own.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package installs the browser (<c>eng/setup.sh</c> installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser did not start.");

    public async Task InitializeAsync()
    {
        await Prerequisite.RequireAsync("chromium", ChromiumPath, "--version");
        Assertions.SetDefaultExpectTimeout((float)Timeouts.Default.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync().WithTimeout(Timeouts.Long);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
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

    /// <summary>A new, isolated browser context (its own storage) with a page in it.</summary>
    public async Task<TestPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout((float)Timeouts.Default.TotalMilliseconds);
        var page = await context.NewPageAsync();
        return new TestPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
