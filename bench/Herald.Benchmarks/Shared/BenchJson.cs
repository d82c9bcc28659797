using System.Text.Json;

namespace Herald.Benchmarks.Shared;

/// <summary>The JSON settings every process of the suite uses for its control messages.</summary>
public static class BenchJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    // Missing figures are NaN; chart points are tuples, whose items are fields.
    public static JsonSerializerOptions Indented { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        IncludeFields = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
