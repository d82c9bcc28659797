namespace Herald.Tests;

public sealed class TopicNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("cameras/front/motion")]
    [InlineData("a-b_c.d/1")]
    public void ValidTopicsPass(string topic)
    {
        Assert.True(TopicName.IsValid(topic, out var error));
        Assert.Null(error);
        TopicName.Validate(topic);
    }

    [Theory]
    [InlineData("a/+", "wildcard")]
    [InlineData("a/#", "wildcard")]
    [InlineData("a+b", "wildcard")]
    [InlineData("a//b", "empty segment")]
    [InlineData("/a", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("a b", "whitespace")]
    [InlineData("a\nb", "whitespace")]
    [InlineData("", "must not be empty")]
    [InlineData(null, "must not be empty")]
    public void InvalidTopicsAreRejectedWithTheReason(string? topic, string reason)
    {
        Assert.False(TopicName.IsValid(topic, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateThrowsArgumentExceptionNamingTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => TopicName.Validate("a/#"));
        Assert.Contains("wildcard", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TopicName.Validate(new string('x', TopicName.MaxLength + 1)));
    }
}
