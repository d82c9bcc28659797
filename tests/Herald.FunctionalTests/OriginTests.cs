using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class OriginTests
{
    [Theory]
    [InlineData("http://evil.example", 403)]
    [InlineData("https://dash.example.com.evil.example", 403)]
    [InlineData("http://localhost:1234", 101)]
    [InlineData("http://127.0.0.1:5555", 101)]
    [InlineData("https://dash.example.com", 101)]
    [InlineData(null, 101)]
    public async Task BrowserOriginsAreCheckedBeforeTheUpgrade(string? origin, int expectedStatus)
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowedOrigins:0=https://dash.example.com");
        (string, string)[] headers = origin is null ? [] : [("Origin", origin)];

        var response = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", headers);

        Assert.Equal(expectedStatus, response.StatusCode);
        if (expectedStatus == 403)
        {
            Assert.Contains("AllowedOrigins", response.Body, StringComparison.Ordinal);
            Assert.Equal(0, app.Hub().GetMetrics().ConnectionsTotal);
        }
    }

    [Fact]
    public async Task OwnHostIsAnAllowedOrigin()
    {
        await using var app = await TestServer.StartAsync();

        var response = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Origin", $"http://{app.BaseAddress.Authority}"));

        Assert.Equal(101, response.StatusCode);
    }
}
