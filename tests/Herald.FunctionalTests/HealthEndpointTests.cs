using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.FunctionalTests.Durability;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Herald.Internal.Hub;

namespace Herald.FunctionalTests;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (the hub and its store can serve).</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task ADurableServerIsLiveAndReadyWithTheHubAndStoreChecked()
    {
        using var directory = new TempDirectory();
        await using var app = await DurableServer.StartAsync(directory);

        using var live = await app.Http.GetAsync("healthz");
        using var ready = await app.Http.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal(["herald", "sqlite"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AServerThatIsShuttingDownIsStillLiveButNoLongerReady()
    {
        await using var app = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("readyz")).StatusCode);

        app.Services.GetRequiredService<HubCore>().BeginShutdown();

        using var ready = await app.Http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var herald = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("herald");
        Assert.Contains("shutting down", herald.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task ApiHealthKeepsItsComponentShape()
    {
        await using var app = await TestServer.StartAsync();

        var health = await app.GetJsonAsync("api/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("components").GetProperty("hub").GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("components").GetProperty("store").GetProperty("status").GetString());
    }
}
