using Herald.Internal;

namespace Herald.Tests;

public sealed class SessionTokensTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void TokenIsValidOnlyForItsSessionAndKey()
    {
        var tokens = new SessionTokens(Key);
        var token = tokens.For("s1");

        Assert.True(tokens.IsValid("s1", token));
        Assert.False(tokens.IsValid("s2", token));
        Assert.False(tokens.IsValid("s1", token[..^1]));
        Assert.False(tokens.IsValid("s1", token + "A"));
        Assert.False(tokens.IsValid("s1", null));
        Assert.False(tokens.IsValid("s1", string.Empty));
        Assert.False(new SessionTokens([.. Key.Reverse()]).IsValid("s1", token));
    }

    [Fact]
    public void TokensAreStableAndOfConstantUrlSafeFormat()
    {
        var tokens = new SessionTokens(Key);

        Assert.Equal(tokens.For("s1"), new SessionTokens(Key).For("s1"));
        foreach (var session in new[] { "a", "kitchen-tablet", new string('x', 128), "ünïcode" })
        {
            var token = tokens.For(session);
            Assert.Equal(24, token.Length);
            Assert.Matches("^[A-Za-z0-9_-]+$", token);
        }
    }
}
