using System.Buffers.Text;
using System.Security.Cryptography;

namespace Herald.Internal.Connections;

/// <summary>Random, URL-safe ids for connections and server-chosen sessions.</summary>
internal static class ConnectionIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
