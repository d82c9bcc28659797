using System.Security.Claims;

namespace Herald.Tests;

public sealed class HeraldGrantsTests
{
    private static ClaimsPrincipal User(params (string Type, string Value)[] claims)
        => new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    [Fact]
    public void GrantsAreReadFromClaimsAndPatternsThatDoNotParseAreIgnored()
    {
        var grants = HeraldGrants.From(User(
            (HeraldClaims.Subscribe, "cams/#"),
            (HeraldClaims.Subscribe, "house/+"),
            (HeraldClaims.Subscribe, "bad/#/pattern"),
            (HeraldClaims.Publish, "cams/front"),
            (HeraldClaims.Messages, "true")));

        Assert.Equal(["cams/#", "house/+"], grants.Subscribe.Select(f => f.Pattern));
        Assert.True(grants.CanSubscribe(TopicFilter.Parse("cams/+/motion")));
        Assert.False(grants.CanSubscribe(TopicFilter.Parse("house/#")));
        Assert.True(grants.CanRead("house/door"));
        Assert.False(grants.CanRead("garden/gate"));
        Assert.True(grants.CanPublish("cams/front"));
        Assert.False(grants.CanPublish("cams/back"));
        Assert.True(grants.Messages);
        Assert.False(grants.Admin);
    }

    [Fact]
    public void AnAdminMayDoEverything()
    {
        var grants = HeraldGrants.From(User((HeraldClaims.Admin, "true")));

        Assert.True(grants.CanSubscribe(TopicFilter.All));
        Assert.True(grants.CanPublish("any/topic"));
        Assert.True(grants.Messages);
    }

    [Fact]
    public void AUserWithoutHeraldClaimsMayDoNothing()
    {
        var grants = HeraldGrants.From(User(("sub", "alice")));

        Assert.Empty(grants.Subscribe);
        Assert.Empty(grants.Publish);
        Assert.False(grants.CanRead("a"));
        Assert.False(grants.Messages || grants.Admin);
    }

    [Fact]
    public void ATokenMadeByHeraldTokensCarriesItsGrantsAsClaims()
    {
        var token = HeraldTokens.Create(
            new HeraldTokenRequest { Subject = "alice", Subscribe = ["a/#", "b"], Publish = ["a/x"], Messages = true },
            HeraldTokens.FromSecret("unit-tests-secret-that-is-32-bytes-long"));
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token);

        Assert.Equal("alice", jwt.Subject);
        Assert.Equal(["a/#", "b"], jwt.Claims.Where(c => c.Type == HeraldClaims.Subscribe).Select(c => c.Value));
        Assert.Equal("true", jwt.Claims.Single(c => c.Type == HeraldClaims.Messages).Value, ignoreCase: true);
        Assert.DoesNotContain(jwt.Claims, c => c.Type == HeraldClaims.Admin);
        Assert.Equal(TimeSpan.FromHours(1), jwt.ValidTo - jwt.ValidFrom);
    }
}
