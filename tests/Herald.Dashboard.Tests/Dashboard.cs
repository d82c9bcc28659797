using Microsoft.Playwright;

namespace Herald.Dashboard.Tests;

/// <summary>What the dashboard's tests look at: rows of the feed, the phone layout, sideways scrolling.</summary>
internal static class Dashboard
{
    public static BrowserNewContextOptions Phone(ColorScheme scheme = ColorScheme.Light) => new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        ColorScheme = scheme,
    };

    public static ILocator Row(IPage page, long id) => page.Locator($"#feed li[data-id='{id}']");

    public static Task<long[]> FeedIdsAsync(IPage page) => page.Locator("#feed li").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))");

    public static Task<bool> NoHorizontalScrollAsync(IPage page)
        => page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth");
}
