using Herald.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Cli.Tests;

/// <summary><c>herald serve</c> logs Herald's own events, not a few lines for every HTTP request.</summary>
public sealed class ServerLoggingTests
{
    private const string RequestCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task RequestLoggingDefaultsToWarningsWhileHeraldLogsInformation()
    {
        await using var app = HeraldServer.Build(["--Herald:Store=memory"]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(RequestCategory).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger(RequestCategory).IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Herald.Hub").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task ConfigurationBringsRequestLoggingBack()
    {
        await using var app = HeraldServer.Build(["--Herald:Store=memory", "--Logging:LogLevel:Microsoft.AspNetCore=Information"]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger(RequestCategory).IsEnabled(LogLevel.Information));
    }
}
