using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Internal.Sessions;

/// <summary>
/// Resume tokens: 128 random bits, URL-safe, new on every join. Only their SHA-256 is stored, so a store's
/// contents do not open any session, and a token stops working once a newer one has been used.
/// </summary>
internal static class SessionTokens
{
    public const int HashLength = 32;

    /// <summary>A new token and its hash.</summary>
    public static (string Token, byte[] Hash) Create()
    {
        Span<byte> secret = stackalloc byte[16];
        RandomNumberGenerator.Fill(secret);
        var token = Base64Url.EncodeToString(secret);
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether <paramref name="hash"/> is <paramref name="expected"/>, in constant time; an empty expected hash matches nothing.</summary>
    public static bool Matches(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> expected)
        => expected.Length == HashLength && CryptographicOperations.FixedTimeEquals(hash, expected);
}
