using System.Net;
using Herald.Internal.Connections;

namespace Herald.Tests;

public sealed class AddressKeyTests
{
    [Theory]
    [InlineData("192.0.2.1", "::ffff:192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("0.0.0.1", "::1", false)]
    public void AnIPv6AddressCountsByItsSlash64AndAMappedIPv4AddressAsItself(string a, string b, bool same)
    {
        Assert.Equal(same, AddressKey.Of(IPAddress.Parse(a)) == AddressKey.Of(IPAddress.Parse(b)));
    }

    [Fact]
    public void CountsRespectTheLimitAndForgetAddressesThatHoldNone()
    {
        var counts = new AddressCounts();
        var key = AddressKey.Of(IPAddress.Loopback);

        Assert.True(counts.TryAdd(key, 2));
        Assert.True(counts.TryAdd(key, 2));
        Assert.False(counts.TryAdd(key, 2));
        counts.Remove(key);
        Assert.Equal(1, counts[key]);
        Assert.True(counts.TryAdd(key, 2));
        counts.Remove(key);
        counts.Remove(key);
        counts.Remove(key);
        Assert.Equal(0, counts[key]);
        Assert.True(counts.TryAdd(key, null));
    }
}
