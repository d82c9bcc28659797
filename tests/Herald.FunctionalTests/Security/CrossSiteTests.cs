using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// Another site's page cannot change anything through a visitor's browser: what a browser sends cross-site without
/// asking first (a form, <c>text/plain</c>, no <c>Content-Type</c>) is refused, and so is any change from an origin not allowed.
/// </summary>
public sealed class CrossSiteTests
{
    public static TheoryData<string?> BodiesABrowserSendsCrossSiteWithoutAsking() =>
    [
        null,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ];

    [Theory]
    [MemberData(nameof(BodiesABrowserSendsCrossSiteWithoutAsking))]
    public async Task PublishingWithoutAJsonContentTypeIsRefusedWith415(string? contentType)
    {
        await using var app = await TestServer.StartAsync();

        using var response = await app.Http.SendAsync(Post("api/events", """{"topic":"a","type":"t"}""", contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
    }

    [Theory]
    [MemberData(nameof(BodiesABrowserSendsCrossSiteWithoutAsking))]
    public async Task ADirectMessageWithoutAJsonContentTypeIsRefusedWith415(string? contentType)
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("session=victim");
        await using (socket)
        {
            using var response = await app.Http.SendAsync(Post("api/sessions/victim/messages", "{}", contentType));

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("POST", "api/events", 403)]
    [InlineData("POST", "api/sessions/victim/messages", 403)]
    [InlineData("DELETE", "api/sessions/victim", 403)]
    [InlineData("DELETE", "api/connections/c", 403)]
    [InlineData("GET", "api/events", 200)]
    public async Task ChangesFromAnOriginNotAllowedAreRefusedWith403WhileReadsAreNot(string method, string path, int expected)
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowedOrigins:0=https://dash.example.com");
        using var request = Post(path, """{"topic":"a","type":"t"}""", "application/json", "https://evil.example");
        request.Method = new HttpMethod(method);
        if (method != "POST")
        {
            request.Content = null;
        }

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
    }

    [Theory]
    [InlineData("https://dash.example.com")]
    [InlineData("http://localhost:3000")]
    [InlineData(null)]
    public async Task JsonFromAnAllowedOriginOrFromOutsideABrowserIsPublished(string? origin)
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowedOrigins:0=https://dash.example.com");

        using var response = await app.Http.SendAsync(Post("api/events", """{"topic":"a","type":"t"}""", "application/json; charset=utf-8", origin));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static HttpRequestMessage Post(string path, string body, string? contentType, string? origin = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }
}
