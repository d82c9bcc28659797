using System.Net;
using System.Net.Http.Headers;
using Herald.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

public sealed class DashboardEndpointTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ClientIsServedAtItsStableAndItsVersionedPathWithTypesAndRevalidation()
    {
        await using var server = await HeraldTestServer.StartAsync();

        using var stable = await server.Http.GetAsync("herald.js");
        using var versioned = await server.Http.GetAsync("_herald/v1/herald.js");
        using var types = await server.Http.GetAsync("_herald/v1/herald.d.ts");
        using var missing = await server.Http.GetAsync("_herald/v1/nothing-here.js");

        Assert.Equal(HttpStatusCode.OK, stable.StatusCode);
        Assert.Equal("text/javascript", stable.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await stable.Content.ReadAsStringAsync(), await versioned.Content.ReadAsStringAsync());
        Assert.Contains("export class HeraldClient", await stable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, types.StatusCode);
        Assert.Contains("export class HeraldClient", await types.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var again = new HttpRequestMessage(HttpMethod.Get, "herald.js");
        again.Headers.IfNoneMatch.Add(stable.Headers.ETag!);
        using var notModified = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("no-cache", stable.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task DashboardPageIsLockedDownToItsOwnOrigin()
    {
        await using var server = await HeraldTestServer.StartAsync();

        using var index = await server.Http.GetAsync(string.Empty);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", await index.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnEmbeddingAppServesTheDashboardUnderAPathPrefixWithOneCall()
    {
        await using var app = await LoopbackApp.StartAsync(args =>
        {
            var builder = WebApplication.CreateSlimBuilder(args);
            builder.Services.AddHerald();
            var application = builder.Build();
            var herald = application.MapGroup("/herald");
            herald.MapHerald();
            herald.MapHeraldDashboard();
            return application;
        });
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var bare = await noRedirects.GetAsync("herald");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/herald/", bare.Headers.Location?.OriginalString);

        await using var test = await browser.NewPageAsync();
        var page = test.Page;
        await page.GotoAsync(new Uri(app.BaseAddress, "herald").ToString());
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "connected");
        using var published = await app.Http.PostAsync("herald/api/events", new StringContent("""{"topic":"embedded/a","type":"hello","data":{"text":"from the host app"}}""", new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        await Expect(page.Locator("#feed li .sum")).ToHaveTextAsync("from the host app");
        Assert.Equal(new Uri(app.BaseAddress, "herald/").ToString(), page.Url);
        Assert.Empty(test.Problems);
    }
}
