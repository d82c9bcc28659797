using Herald.Internal.Sessions;

namespace Herald.Tests;

public sealed class SessionTokensTests
{
    [Fact]
    public void EveryTokenIsNewAndOnlyItsOwnHashMatches()
    {
        var (first, firstHash) = SessionTokens.Create();
        var (second, secondHash) = SessionTokens.Create();

        Assert.NotEqual(first, second);
        Assert.Equal(22, first.Length);
        Assert.True(SessionTokens.Matches(SessionTokens.Hash(first), firstHash));
        Assert.False(SessionTokens.Matches(SessionTokens.Hash(first), secondHash));
        Assert.False(SessionTokens.Matches(SessionTokens.Hash(first + "x"), firstHash));
    }

    [Fact]
    public void AnEmptyExpectedHashMatchesNothing()
    {
        var (token, _) = SessionTokens.Create();

        Assert.False(SessionTokens.Matches(SessionTokens.Hash(token), ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void TokensAreUrlSafe()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.DoesNotContain(SessionTokens.Create().Token, c => c is '+' or '/' or '=');
        }
    }
}
