using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests;

public sealed class InstrumentTests
{
    [Fact]
    public async Task HubCountersArePublishedAsMeterInstruments()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=m/%23");
        await using (socket)
        {
            await app.PublishAsync(new[] { new { topic = "m/a", type = "t" }, new { topic = "m/b", type = "t" } });
            await socket.ReceiveEventAsync();
            await socket.ReceiveEventAsync();

            var factory = app.Services.GetRequiredService<IMeterFactory>();
            var values = new Dictionary<string, double>();
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                // Other servers in this test run have their own meter; listen to this app's only.
                if (instrument.Meter.Name == "Herald" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            // A measurement with a transport tag is kept under "name/transport".
            static string Key(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "transport")
                    {
                        return instrument.Name + "/" + tag.Value;
                    }
                }

                return instrument.Name;
            }

            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => values[Key(instrument, tags)] = value);
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => values[Key(instrument, tags)] = value);
            listener.Start();
            listener.RecordObservableInstruments();

            Assert.Equal(2, values["herald.events.published"]);
            Assert.Equal(1, values["herald.connections/websocket"]);
            Assert.Equal(0, values["herald.connections/sse"]);
            // A frame is counted once its send returned, which may be just after the client saw it.
            await Herald.Testing.Timeouts.Until(
                () =>
                {
                    listener.RecordObservableInstruments();
                    return values["herald.frames.sent"] >= 3;
                },
                "the welcome and both events are counted as sent");
            Assert.Contains("herald.slow_consumer.closes", values.Keys);
        }
    }
}
