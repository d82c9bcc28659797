using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Herald;

/// <summary>Makes API keys and the hashes that configure them (<see cref="HeraldApiKeyOptions.Hash"/>); <c>herald key create</c> uses it.</summary>
public static class ApiKeys
{
    /// <summary>A new key: <c>hk_</c> and 256 random bits, URL-safe.</summary>
    public static string Create() => "hk_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The configuration value for <paramref name="key"/>: its SHA-256 as 64 lowercase hexadecimal digits.</summary>
    /// <param name="key">The key.</param>
    public static string Hash(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Reads a configured hash; false when it is not 64 hexadecimal digits.</summary>
    /// <param name="hash">The configured value.</param>
    /// <param name="bytes">The 32 bytes it stands for.</param>
    public static bool TryParseHash(string? hash, out byte[] bytes)
    {
        bytes = [];
        if (hash is not { Length: 64 } || !hash.All(Uri.IsHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(hash);
        return true;
    }
}
