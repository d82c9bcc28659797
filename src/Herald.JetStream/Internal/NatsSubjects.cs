using System.Buffers.Text;
using System.Text;

namespace Herald.JetStream.Internal;

/// <summary>
/// How Herald's names become NATS subjects, reversibly. A topic's <c>/</c>-separated segments become a subject's
/// <c>.</c>-separated tokens after <c>&lt;prefix&gt;.events</c>. A subject token cannot carry <c>.</c>, <c>*</c>,
/// <c>&gt;</c> or whitespace, so every byte of a segment's UTF-8 outside printable ASCII, and those characters and
/// <c>%</c> itself, are written <c>%XX</c> (upper-case hex). Patterns map <c>+</c> to <c>*</c> and a final <c>#</c> to
/// <c>&gt;</c>; because <c>a/#</c> also matches <c>a</c>, which <c>a.&gt;</c> does not, such a pattern needs two subjects.
/// </summary>
internal static class NatsSubjects
{
    private const string EventsToken = "events";
    private const string SessionsToken = "sessions";
    private const string RecordToken = "rec";
    private const string MailboxToken = "mbox";

    /// <summary>The subjects of the events stream: <c>&lt;prefix&gt;.events.&gt;</c>.</summary>
    public static string AllEvents(string prefix) => $"{prefix}.{EventsToken}.>";

    /// <summary>The subjects of the sessions stream: <c>&lt;prefix&gt;.sessions.&gt;</c>.</summary>
    public static string AllSessions(string prefix) => $"{prefix}.{SessionsToken}.>";

    /// <summary>Every session record's subject: <c>&lt;prefix&gt;.sessions.rec.*</c>.</summary>
    public static string AllRecords(string prefix) => $"{prefix}.{SessionsToken}.{RecordToken}.*";

    /// <summary>Every mailbox's subject: <c>&lt;prefix&gt;.sessions.mbox.*</c>.</summary>
    public static string AllMailboxes(string prefix) => $"{prefix}.{SessionsToken}.{MailboxToken}.*";

    /// <summary>Where a session store publishes a marker to learn when its change feed has caught up: <c>&lt;prefix&gt;.sessions.sync</c>.</summary>
    public static string SessionsSync(string prefix) => $"{prefix}.{SessionsToken}.sync";

    /// <summary>The control channel between nodes: <c>&lt;prefix&gt;.bus</c>.</summary>
    public static string Bus(string prefix) => $"{prefix}.bus";

    /// <summary>The subject an event on <paramref name="topic"/> is published to.</summary>
    public static string Event(string prefix, string topic)
    {
        var builder = new StringBuilder(prefix.Length + EventsToken.Length + topic.Length + 8);
        builder.Append(prefix).Append('.').Append(EventsToken);
        foreach (var segment in topic.Split('/'))
        {
            builder.Append('.');
            AppendEscaped(builder, segment);
        }

        return builder.ToString();
    }

    /// <summary>The topic of an event subject, or <see langword="null"/> when the subject is not one of <paramref name="prefix"/>'s events.</summary>
    public static string? TopicOf(string prefix, string subject)
    {
        var head = prefix + "." + EventsToken + ".";
        if (!subject.StartsWith(head, StringComparison.Ordinal) || subject.Length == head.Length)
        {
            return null;
        }

        var tokens = subject[head.Length..].Split('.');
        var segments = new string[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (Unescape(tokens[i]) is not { Length: > 0 } segment)
            {
                return null;
            }

            segments[i] = segment;
        }

        return string.Join('/', segments);
    }

    /// <summary>
    /// The subjects that together match exactly what <paramref name="filter"/> matches: one, or two for a pattern
    /// ending in <c>#</c> below the root (<c>a/#</c> is <c>a.&gt;</c> and <c>a</c>).
    /// </summary>
    public static IReadOnlyList<string> EventFilter(string prefix, TopicFilter filter)
    {
        if (filter.Pattern == "#")
        {
            return [AllEvents(prefix)];
        }

        var segments = filter.Pattern.Split('/');
        var builder = new StringBuilder(prefix.Length + filter.Pattern.Length + 16);
        builder.Append(prefix).Append('.').Append(EventsToken);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment == "#")
            {
                var parent = builder.ToString();
                return [parent + ".>", parent];
            }

            builder.Append('.');
            if (segment == "+")
            {
                builder.Append('*');
            }
            else
            {
                AppendEscaped(builder, segment);
            }
        }

        return [builder.ToString()];
    }

    /// <summary>The subject of a session's record.</summary>
    public static string Record(string prefix, string sessionId) => $"{prefix}.{SessionsToken}.{RecordToken}.{SessionToken(sessionId)}";

    /// <summary>The subject of a session's mailbox.</summary>
    public static string Mailbox(string prefix, string sessionId) => $"{prefix}.{SessionsToken}.{MailboxToken}.{SessionToken(sessionId)}";

    /// <summary>Whether <paramref name="subject"/> is a record's (true) or a mailbox's (false), and whose; null when neither.</summary>
    public static (bool IsRecord, string SessionId)? SessionSubject(string prefix, string subject)
    {
        var head = prefix + "." + SessionsToken + ".";
        if (!subject.StartsWith(head, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = subject.AsSpan(head.Length);
        var dot = rest.IndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        var kind = rest[..dot];
        var token = rest[(dot + 1)..].ToString();
        var isRecord = kind.SequenceEqual(RecordToken);
        if (!isRecord && !kind.SequenceEqual(MailboxToken))
        {
            return null;
        }

        return SessionIdOf(token) is { } id ? (isRecord, id) : null;
    }

    /// <summary>A session id as one subject token: its UTF-8 in unpadded base64url (letters, digits, <c>-</c>, <c>_</c>).</summary>
    public static string SessionToken(string sessionId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sessionId));

    private static string? SessionIdOf(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="c"/> may stand for itself in a subject token.</summary>
    private static bool IsPlain(char c) => c is > ' ' and < (char)0x7F and not ('.' or '*' or '>' or '%');

    private static void AppendEscaped(StringBuilder builder, string segment)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (IsPlain(c))
            {
                builder.Append(c);
                continue;
            }

            // A surrogate pair is one scalar value; a lone surrogate cannot occur in a validated topic, but would be
            // written as U+FFFD rather than lost.
            var length = char.IsHighSurrogate(c) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1])
                ? new Rune(c, segment[++i]).EncodeToUtf8(utf8)
                : (Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar).EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static string? Unescape(string token)
    {
        if (!token.Contains('%', StringComparison.Ordinal))
        {
            return token;
        }

        var bytes = new List<byte>(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (c != '%')
            {
                bytes.Add((byte)c);
                continue;
            }

            if (i + 2 >= token.Length || !byte.TryParse(token.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b))
            {
                return null;
            }

            bytes.Add(b);
            i += 2;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
