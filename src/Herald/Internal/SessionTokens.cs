using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Internal;

/// <summary>
/// Resume tokens are an HMAC of the session id under the store's key: nothing per session needs storing,
/// and a durable store's key keeps them valid across restarts.
/// </summary>
internal sealed class SessionTokens(byte[] key)
{
    public string For(string sessionId)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sessionId), mac);
        return Base64Url.EncodeToString(mac[..18]);
    }

    public bool IsValid(string sessionId, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(For(sessionId));
        var actual = Encoding.ASCII.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
