using Herald.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Herald.FunctionalTests;

public sealed class ServerConfigurationTests
{
    [Fact]
    public async Task SettingsFilesAreNotWatchedSoDatabaseWritesWakeNothing()
    {
        await using var app = HeraldServer.Build(["--Herald:Store=memory"]);

        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<JsonConfigurationProvider>().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path));
    }
}
