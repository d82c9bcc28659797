using System.Text.Json;

namespace Herald.Cli.Tests;

/// <summary>The herald executable's runtime settings, which the benchmark's Herald server mirrors (bench/ServerProcess).</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void HeraldRunsWithWorkstationGcAndTiersUpWithoutTheCallCountingDelay()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "herald.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
    }
}
