using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Herald.Internal.Connections;
using Herald.Internal.Http;
using Herald.Internal.Protocol;
using Herald.Internal.Publishing;
using Herald.Internal.Transports.Direct;
using Herald.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Tests;

/// <summary>
/// Every parser that reads what a client sends, fed random and mutated input (<see cref="HostileInput"/>: truncated,
/// deeply nested, huge numbers, wrong types, invalid UTF-8, lone surrogate escapes): each answers with its documented
/// result, and never throws.
/// </summary>
public sealed class ParserPropertyTests
{
    private static readonly Arbitrary<int> Seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

    private static readonly HeraldOptions Options = new();

    [Property(MaxTest = 3000)]
    public Property TheClientFrameParserAnswersAnyBytesWithAFrameOrAnErrorWhoseAnswerIsValidJson()
        => Prop.ForAll(Seeds, seed =>
        {
            var input = new HostileInput(seed);
            var bytes = input.Mutate(input.ClientFrame());

            var frame = ClientFrame.TryParse(bytes, out var error, out var reference);
            var found = ClientFrame.FindRef(bytes);

            Assert.True(frame is null != (error is null), $"seed {seed}: a frame or an error, not both");
            var answer = frame is null ? ServerFrames.Error(ErrorCodes.BadRequest, error!, reference) : ServerFrames.Ack(frame.Ref);
            using var document = JsonDocument.Parse(answer);
            if (!found.IsEmpty)
            {
                using var json = JsonDocument.Parse(found);
            }
        });

    [Property(MaxTest = 1000)]
    public Property FramesTheEncoderWritesParseAndTheirRefIsFoundWithoutParsing()
        => Prop.ForAll(ProtocolFrameCase.Generator.ToArbitrary(), c =>
        {
            var bytes = c.Write();

            var frame = ClientFrame.TryParse(bytes, out var error, out _);

            Assert.True(frame is not null, error);
            Assert.Equal(c.Type, frame.Type);
            Assert.Equal(c.Since, frame.Since);
            Assert.Equal(Encoding.UTF8.GetString(frame.Ref.Span), Encoding.UTF8.GetString(ClientFrame.FindRef(bytes).Span));
        });

    [Property(MaxTest = 3000)]
    public Property TheEventInputParserAnswersBodiesOfValidTextWithEventsOrAnError()
        => Prop.ForAll(Seeds, seed =>
        {
            var input = new HostileInput(seed);
            var bytes = input.Mutate(input.EventBody(), keepText: true);

            AnswersWithEventsOrAnError(seed, bytes);
        });

    /// <summary>The same for any bytes, lone surrogate escapes and invalid UTF-8 in any string field included.</summary>
    [Fact]
    public void TheEventInputParserAnswersAnyBytesWithEventsOrAnError()
        => Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(Seeds, seed =>
        {
            var input = new HostileInput(seed);
            AnswersWithEventsOrAnError(seed, input.Mutate(input.EventBody()));
        }));

    [Property(MaxTest = 3000)]
    public Property TopicsAndSinceOfAStreamRequestAreAcceptedWithinTheRulesOrRefusedWith400()
        => Prop.ForAll(Seeds, seed =>
        {
            var input = new HostileInput(seed);
            var topics = input.Next(0, 4) == 0 ? null : input.QueryValue();
            var since = input.Next(0, 3) == 0 ? null : input.Pick([input.QueryValue(), input.Number(), " 5", "+5", "٣"]);
            var check = StreamRequest.Check(Services.GetRequiredService<ConnectionRegistry>(), System.Net.IPAddress.Loopback, topics, since);

            if (check.Refusal is { } refusal)
            {
                Assert.Equal(400, refusal.Status);
                Assert.Null(check.Filters);
                return;
            }

            Assert.NotEmpty(check.Filters!);
            Assert.InRange(check.Filters!.Count, 1, Options.MaxSubscriptionsPerConnection);
            Assert.All(check.Filters!, f => Assert.Equal(f, TopicFilter.Parse(f.Pattern)));
            Assert.All(check.Filters!, f => Assert.InRange(f.Pattern.Split('/').Length, 1, Options.MaxTopicDepth));
            if (string.IsNullOrEmpty(since))
            {
                Assert.Null(check.Since);
            }
            else
            {
                Assert.Equal(long.Parse(since, CultureInfo.CurrentCulture), check.Since);
                Assert.True(check.Since >= 0);
            }
        });

    [Property(MaxTest = 2000)]
    public Property TheHandshakeParserDecidesTheSameWhateverTheSegmentsAndOnlyGrows()
        => Prop.ForAll(Seeds, seed =>
        {
            var input = new HostileInput(seed);
            var head = Handshake(input);
            var cuts = Enumerable.Range(0, input.Next(0, 4)).Select(_ => input.Next(0, head.Length + 1)).Order().ToArray();

            var whole = UpgradeRequest.TryParse(new ReadOnlySequence<byte>(head), Prefix, HeadLimits.Default, out var request, out var end);
            var split = BufferSegment.Split(head, cuts);
            var pieces = UpgradeRequest.TryParse(split, Prefix, HeadLimits.Default, out var splitRequest, out var splitEnd);

            Assert.Equal(whole, pieces);
            Assert.Equal(request?.Query, splitRequest?.Query);
            if (whole == UpgradeParse.Ours)
            {
                var consumed = new ReadOnlySequence<byte>(head).Slice(0, end).Length;
                Assert.Equal(consumed, split.Slice(0, splitEnd).Length);
                Assert.True(head.AsSpan(0, (int)consumed).EndsWith("\r\n\r\n"u8));
                Assert.NotNull(request);
            }

            // What a prefix decided holds for the whole: a head that was not ours never becomes ours.
            var prefix = UpgradeRequest.TryParse(new ReadOnlySequence<byte>(head, 0, cuts.FirstOrDefault()), Prefix, HeadLimits.Default, out _, out _);
            if (prefix != UpgradeParse.NeedMore)
            {
                Assert.Equal(prefix, whole);
            }
        });

    [Property(MaxTest = 500)]
    public Property EveryHandshakeTheParserTakesIsAnsweredWith101OrAProblem()
        => Prop.ForAll(Seeds, seed =>
        {
            var input = new HostileInput(seed);
            var head = Handshake(input);
            if (UpgradeRequest.TryParse(new ReadOnlySequence<byte>(head), Prefix, HeadLimits.Default, out var request, out _) != UpgradeParse.Ours)
            {
                return;
            }

            var decision = DirectHandshake.DecideAsync(Services.GetRequiredService<WebSocketEndpoint>(), request!, System.Net.IPAddress.Loopback).AsTask().GetAwaiter().GetResult();

            var response = Encoding.ASCII.GetString(decision.ResponseBytes);
            var status = int.Parse(response.AsSpan(9, 3), CultureInfo.InvariantCulture);
            Assert.True(decision.Accepted ? status == 101 : status is 400 or 403, response);
            // The origin is checked first (403); then the query decides.
            if (status != 403)
            {
                Assert.Equal(decision.Accepted, QueryIsValid(request!.Query));
            }
        });

    private static readonly byte[] Prefix = "GET /ws/events"u8.ToArray();

    private static void AnswersWithEventsOrAnError(int seed, byte[] bytes)
    {
        if (EventInput.TryParseMany(bytes, Options, TimeProvider.System, out var events, out var error))
        {
            Assert.NotEmpty(events);
            Assert.All(events, e => Assert.True(TopicName.IsValid(e.Topic, out _), $"seed {seed}: {e.Topic}"));
            Assert.All(events, e => Assert.False(string.IsNullOrWhiteSpace(e.Type)));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    /// <summary>A valid handshake with a random query, mutated: header lines repeated, dropped or broken, bytes changed.</summary>
    private static byte[] Handshake(HostileInput input)
    {
        var query = string.Join('&', Enumerable.Range(0, input.Next(0, 4)).Select(_ => input.Pick(["topics", "since", "session", "resume", "", "a"]) + "=" + Encode(input.QueryValue())));
        var lines = new List<string>
        {
            $"GET /ws/events{(query.Length > 0 ? "?" + query : "")} HTTP/1.1",
            "Host: herald:8000",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        };
        if (input.Next(0, 3) == 0)
        {
            lines.Add(input.Pick(["Origin: http://evil.example", "Origin: http://localhost:3000", "Authorization: Bearer x", "X-Long: " + new string('a', 9000), "Host: again", " folded", "NoColon"]));
        }

        var text = Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");
        return input.Next(0, 2) == 0 ? text : input.Mutate(text);
    }

    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var rune in value.EnumerateRunes())
        {
            builder.Append(rune.Value is '%' or '&' or '=' or '#' or ' ' || rune.Value > 0x7E || rune.Value < 0x21 ? Uri.EscapeDataString(rune.ToString()) : rune.ToString());
        }

        // A lone surrogate is no rune: EnumerateRunes gives U+FFFD for it, as a browser would send.
        return builder.ToString();
    }

    private static bool QueryIsValid(string query)
    {
        var parsed = QueryHelpers.ParseQuery(query);
        var topics = parsed.TryGetValue("topics", out var t) ? t.ToString() : null;
        var since = parsed.TryGetValue("since", out var s) ? s.ToString() : null;
        return StreamRequest.Check(Services.GetRequiredService<ConnectionRegistry>(), System.Net.IPAddress.Loopback, topics, since).Refusal is null;
    }

    /// <summary>A hub's services, not started: enough for the checks a connection request passes.</summary>
    private static readonly ServiceProvider Services = BuildServices();

    private static ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILoggerFactory), NullLoggerFactory.Instance);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddHerald();
        return services.BuildServiceProvider();
    }
}
