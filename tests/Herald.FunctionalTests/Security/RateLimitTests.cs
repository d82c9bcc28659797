using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>The REST API's rate limit: a token bucket per API key or user, else per address; past it 429 with Retry-After.</summary>
public sealed class RateLimitTests
{
    private static readonly string[] OneASecondAfterThree = ["--Herald:RateLimit:RequestsPerSecond=1", "--Herald:RateLimit:Burst=3"];

    [Fact]
    public async Task RequestsPastTheBurstGet429WithRetryAfterAndProblemDetails()
    {
        await using var app = await TestServer.StartAsync(OneASecondAfterThree);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await app.Http.GetAsync("api/events");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await app.Http.GetAsync("api/events");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Herald:RateLimit", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachApiKeyHasItsOwnBucketAndCallersWithoutOneShareTheirAddress()
    {
        await using var app = await AuthServer.StartAsync(OneASecondAfterThree);

        var publisher = await StatusesAsync(app, AuthServer.PublisherKey, 4);
        var admin = await StatusesAsync(app, AuthServer.AdminKey, 3);
        var anonymous = await StatusesAsync(app, null, 4);

        Assert.Equal([200, 200, 200, 429], publisher);
        Assert.Equal([200, 200, 200], admin);
        Assert.Equal([200, 200, 200, 429], anonymous);
    }

    [Fact]
    public async Task AnotherAddressHasItsOwnBucket()
    {
        await using var app = await TestServer.StartAsync(OneASecondAfterThree);
        for (var i = 0; i < 4; i++)
        {
            (await app.Http.GetAsync("api/health")).Dispose();
        }

        var elsewhere = await RawHttp.SendFromAsync(IPAddress.Parse("127.0.0.2"), app.BaseAddress, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1");

        Assert.Equal(200, elsewhere.StatusCode);
    }

    [Fact]
    public async Task TheRateLimitCanBeTurnedOff()
    {
        await using var app = await TestServer.StartAsync("--Herald:RateLimit:Enabled=false", "--Herald:RateLimit:Burst=1", "--Herald:RateLimit:RequestsPerSecond=1");

        var statuses = await StatusesAsync(app, null, 10);

        Assert.All(statuses, s => Assert.Equal(200, s));
    }

    private static async Task<List<int>> StatusesAsync(LoopbackApp app, string? bearer, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/me", bearer));
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
