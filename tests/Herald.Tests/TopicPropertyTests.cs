using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Herald.Tests;

/// <summary>
/// The topic rules every log backend honours (docs/protocol.md, "Topics"), checked over random topics made of
/// the characters most likely to trip a backend up: separators of other systems, escapes, wildcards of other
/// systems, and any Unicode text.
/// </summary>
public sealed class TopicPropertyTests
{
    private static readonly Gen<string> Segments = Gen.OneOf(
            Gen.Elements("a", "Z9", ".", "*", ">", "$sys", "%2F", "~", "é", "日本", "😀", "a.b", "x*y", "-_", "'\"", "\\"),
            Gen.Choose(0x21, 0xD7FF).Where(c => !char.IsWhiteSpace((char)c) && !char.IsControl((char)c) && c is not '+' and not '#' and not '/').Select(c => ((char)c).ToString()))
        .NonEmptyListOf()
        .Select(pieces => string.Concat(pieces.Take(6)));

    private static readonly Gen<string[]> Topics = Segments.NonEmptyListOf().Select(s => s.Take(6).ToArray());

    [Property(MaxTest = 300)]
    public Property EveryTopicOfAllowedCharactersIsValidAndMatchedByItselfAsAPattern()
        => Prop.ForAll(Topics.ToArbitrary(), segments =>
        {
            var topic = string.Join('/', segments);
            Assert.True(TopicName.IsValid(topic, out var error), error);
            Assert.True(TopicFilter.Parse(topic).Matches(topic));
            Assert.True(TopicFilter.All.Matches(topic));
        });

    [Property(MaxTest = 300)]
    public Property APatternEndingInHashMatchesEveryTopicAtOrBelowItsPrefix()
        => Prop.ForAll(Topics.ToArbitrary(), Gen.Choose(1, 6).ToArbitrary(), (segments, length) =>
        {
            var topic = string.Join('/', segments);
            var prefix = string.Join('/', segments.Take(Math.Min(length, segments.Length)));

            // Includes the prefix itself: a/# matches a.
            Assert.True(TopicFilter.Parse(prefix + "/#").Matches(topic));
            Assert.True(TopicFilter.Parse(topic + "/#").Matches(topic));
            Assert.False(TopicFilter.Parse(topic + "/x/#").Matches(topic));
        });

    [Property(MaxTest = 300)]
    public Property APlusMatchesExactlyOneSegment()
        => Prop.ForAll(Topics.ToArbitrary(), Gen.Choose(0, 5).ToArbitrary(), (segments, position) =>
        {
            var topic = string.Join('/', segments);
            var wild = segments.ToArray();
            wild[position % wild.Length] = "+";

            Assert.True(TopicFilter.Parse(string.Join('/', wild)).Matches(topic));
            Assert.False(TopicFilter.Parse(string.Join('/', wild) + "/+").Matches(topic));
            Assert.False(TopicFilter.Parse(string.Join('/', wild.Skip(1).Prepend("+").Prepend("+"))).Matches(topic));
        });

    [Property(MaxTest = 300)]
    public Property ATopicWithWhitespaceAWildcardOrAnEmptySegmentIsRefused()
        => Prop.ForAll(Topics.ToArbitrary(), Gen.Elements(" ", "\t", "\n", "+", "#", "//", "\u0001").ToArbitrary(), (segments, bad) =>
        {
            var topic = string.Join('/', segments);
            Assert.False(TopicName.IsValid(topic + bad + "z", out _));
        });

    /// <summary>Patterns over a small alphabet, so grants, patterns and topics often meet.</summary>
    private static readonly Gen<string[]> SmallTopics = Gen.Elements("a", "b", "c").NonEmptyListOf().Select(s => s.Take(4).ToArray());

    private static readonly Gen<string> SmallPatterns = SmallTopics.SelectMany(segments => Gen.Choose(0, 2).SelectMany(kind => Gen.Choose(0, segments.Length - 1).Select(at =>
    {
        var wild = segments.ToArray();
        if (kind == 1)
        {
            wild[at] = "+";
        }
        else if (kind == 2)
        {
            wild = [.. wild.Take(at + 1), "#"];
        }

        return string.Join('/', wild);
    })));

    [Property(MaxTest = 1000)]
    public Property AGrantThatCoversAPatternMatchesEveryTopicThePatternMatches()
        => Prop.ForAll(SmallPatterns.ToArbitrary(), SmallPatterns.ToArbitrary(), SmallTopics.ToArbitrary(), (grant, pattern, segments) =>
        {
            var g = TopicFilter.Parse(grant);
            var p = TopicFilter.Parse(pattern);
            var topic = string.Join('/', segments);
            if (g.Covers(p) && p.Matches(topic))
            {
                Assert.True(g.Matches(topic), $"{grant} covers {pattern}, which matches {topic}, but {grant} does not");
            }

            Assert.True(g.Covers(g));
            Assert.True(TopicFilter.All.Covers(p));
        });

    [Theory]
    [InlineData("cams/#", "cams/+/motion", true)]
    [InlineData("cams/#", "cams", true)]
    [InlineData("cams/#", "cams/#", true)]
    [InlineData("cams/+", "cams/front", true)]
    [InlineData("cams/+", "cams/+", true)]
    [InlineData("cams/+", "cams/#", false)]
    [InlineData("cams/front", "cams/+", false)]
    [InlineData("cams/+/motion", "cams/#", false)]
    [InlineData("cams", "cams/#", false)]
    [InlineData("+", "#", false)]
    [InlineData("#", "#", true)]
    public void CoversAnswersWhetherAGrantAllowsAPattern(string grant, string pattern, bool covers)
        => Assert.Equal(covers, TopicFilter.Parse(grant).Covers(TopicFilter.Parse(pattern)));
}
