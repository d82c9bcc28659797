using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Herald.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// An app that embeds Herald authenticates its own way (here a cookie read by its own handler, the app's default scheme)
/// and Herald asks that scheme who each request is: over ASP.NET Core and on both of its own socket paths.
/// </summary>
public sealed class AppAuthenticationTests
{
    public static TheoryData<string> Paths() => ["accept", "middleware", "http"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task TheAppsOwnSchemeDecidesWhoConnectsAndWhatTheyMayReadOnEveryPath(string path)
    {
        await using var app = await LoopbackApp.StartAsync(args => Build(args, path));
        var (alice, welcome) = await JsonSocket.ConnectWelcomedAsync(app.WebSocketUri("ws/events?topics=alice/%23"), o => o.SetRequestHeader("Cookie", "who=alice"));
        await using (alice)
        {
            var anonymous = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=alice/%23");
            var outside = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=bob/%23", ("Cookie", "who=alice"));
            using var me = new HttpRequestMessage(HttpMethod.Get, "api/me");
            me.Headers.Add("Cookie", "who=alice");
            var user = await (await app.Http.SendAsync(me)).Content.ReadFromJsonAsync<JsonElement>();
            var published = await app.Hub().PublishAsync(NewEvent.Create("alice/inbox", "t", 1));

            Assert.Equal("welcome", welcome.Type());
            Assert.Equal(published.Id, (await alice.ReceiveEventAsync()).EventId());
            Assert.Equal(401, anonymous.StatusCode);
            Assert.Equal(403, outside.StatusCode);
            Assert.Equal("alice", user.GetProperty("subject").GetString());
            Assert.Equal(["alice/#"], user.GetProperty("grants").GetProperty("subscribe").EnumerateArray().Select(p => p.GetString()));
        }
    }

    private static WebApplication Build(string[] args, string path)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(WhoCookie.Name).AddScheme<AuthenticationSchemeOptions, WhoCookie>(WhoCookie.Name, null);
        builder.Services.AddHerald(o => o.Auth.Required = true);
        if (path != "http")
        {
            builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.UseHeraldWebSockets()));
        }

        if (path == "accept")
        {
            builder.WebHost.UseHeraldSockets();
        }

        var app = builder.Build();
        app.MapHerald();
        return app;
    }

    /// <summary>The app's own scheme: the <c>who</c> cookie names the user, who may read the topics under its name.</summary>
    private sealed class WhoCookie(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Who";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Cookies["who"] is not { Length: > 0 } who)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(HeraldClaims.Subject, who), new Claim(HeraldClaims.Subscribe, who + "/#")], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}
