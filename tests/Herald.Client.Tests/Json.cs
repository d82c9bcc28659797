using System.Text.Json;

namespace Herald.Client.Tests;

internal static class Json
{
    public static JsonElement Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
