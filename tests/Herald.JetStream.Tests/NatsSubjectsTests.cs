using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Herald.JetStream.Internal;

namespace Herald.JetStream.Tests;

/// <summary>
/// Topics map to NATS subjects and back without loss, every subject is one NATS accepts, and a pattern's subjects
/// match exactly the topics the pattern matches (checked against a model of NATS's own subject matching).
/// </summary>
public sealed class NatsSubjectsTests
{
    private static readonly Gen<string> Segments = Gen.OneOf(
            Gen.Elements("a", "Z9", ".", "*", ">", "%", "%2E", "$sys", "~", "é", "日本", "😀", "a.b", "x*y", "-_", "'\"", "\\", "a>b"),
            Gen.Choose(0x21, 0xD7FF).Where(c => !char.IsWhiteSpace((char)c) && !char.IsControl((char)c) && c is not '+' and not '#' and not '/').Select(c => ((char)c).ToString()))
        .NonEmptyListOf()
        .Select(pieces => string.Concat(pieces.Take(6)));

    private static readonly Gen<string> Topics = Segments.NonEmptyListOf().Select(s => string.Join('/', s.Take(6)));

    /// <summary>Topics and patterns over a small alphabet that includes NATS's special characters, so they often meet.</summary>
    private static readonly Gen<string[]> SmallTopics = Gen.Elements("a", "b", ".", "*", ">").NonEmptyListOf().Select(s => s.Take(4).ToArray());

    private static readonly Gen<string> SmallPatterns = SmallTopics.SelectMany(segments => Gen.Choose(0, 3).SelectMany(kind => Gen.Choose(0, segments.Length - 1).Select(at =>
    {
        var wild = segments.ToArray();
        return kind switch
        {
            1 => string.Join('/', wild.Select((s, i) => i == at ? "+" : s)),
            2 => string.Join('/', wild.Take(at + 1).Append("#")),
            3 => "#",
            _ => string.Join('/', wild),
        };
    })));

    [Property(MaxTest = 500)]
    public Property ATopicBecomesASubjectOfValidTokensAndComesBackUnchanged()
        => Prop.ForAll(Topics.ToArbitrary(), topic =>
        {
            var subject = NatsSubjects.Event("herald", topic);
            var tokens = subject.Split('.');

            Assert.Equal(topic.Split('/').Length + 2, tokens.Length);
            Assert.All(tokens, token => Assert.True(token.Length > 0 && token.All(c => c is > ' ' and < (char)0x7F and not '*' and not '>'), $"token '{token}' of {subject}"));
            Assert.Equal(topic, NatsSubjects.TopicOf("herald", subject));
        });

    [Property(MaxTest = 2000)]
    public Property APatternsSubjectsMatchExactlyTheTopicsThePatternMatches()
        => Prop.ForAll(SmallPatterns.ToArbitrary(), SmallTopics.ToArbitrary(), (pattern, segments) =>
        {
            var topic = string.Join('/', segments);
            var filters = NatsSubjects.EventFilter("herald", TopicFilter.Parse(pattern));
            var subject = NatsSubjects.Event("herald", topic);

            Assert.Equal(TopicFilter.Parse(pattern).Matches(topic), filters.Any(f => NatsMatches(f, subject)));
        });

    [Theory]
    [InlineData("a/#", new[] { "herald.events.a.>", "herald.events.a" })]
    [InlineData("#", new[] { "herald.events.>" })]
    [InlineData("a/+/c", new[] { "herald.events.a.*.c" })]
    [InlineData("a.b/*", new[] { "herald.events.a%2Eb.%2A" })]
    public void PatternsMapToNatsWildcardsAndAFinalHashNeedsTheParentSubjectToo(string pattern, string[] subjects)
        => Assert.Equal(subjects, NatsSubjects.EventFilter("herald", TopicFilter.Parse(pattern)));

    [Property(MaxTest = 300)]
    public Property ASessionIdBecomesOneTokenAndComesBack()
        => Prop.ForAll(Segments.ToArbitrary(), id =>
        {
            var record = NatsSubjects.Record("herald", id);
            var mailbox = NatsSubjects.Mailbox("herald", id);

            Assert.Equal(4, record.Split('.').Length);
            Assert.Equal((true, id), NatsSubjects.SessionSubject("herald", record));
            Assert.Equal((false, id), NatsSubjects.SessionSubject("herald", mailbox));
        });

    [Fact]
    public void SubjectsOfOtherPrefixesOrKindsAreNotReadAsHeralds()
    {
        Assert.Null(NatsSubjects.TopicOf("herald", "other.events.a"));
        Assert.Null(NatsSubjects.TopicOf("herald", "herald.events."));
        Assert.Null(NatsSubjects.TopicOf("herald", "herald.events.a%ZZ"));
        Assert.Null(NatsSubjects.SessionSubject("herald", NatsSubjects.SessionsSync("herald")));
    }

    /// <summary>NATS's subject matching: <c>*</c> is one token, a final <c>&gt;</c> one or more.</summary>
    private static bool NatsMatches(string filter, string subject)
    {
        var f = filter.Split('.');
        var s = subject.Split('.');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == ">")
            {
                return s.Length > i;
            }

            if (i >= s.Length || (f[i] != "*" && f[i] != s[i]))
            {
                return false;
            }
        }

        return f.Length == s.Length;
    }
}
