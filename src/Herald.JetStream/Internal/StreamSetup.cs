using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Herald.JetStream.Internal;

/// <summary>
/// Creates or updates one of Herald's streams, then checks that the server applied every setting Herald relies on:
/// a server that does not know a setting ignores it without an error, and Herald would then run on assumptions that
/// do not hold.
/// </summary>
internal static class StreamSetup
{
    /// <param name="js">The JetStream context.</param>
    /// <param name="desired">The stream as Herald wants it.</param>
    /// <param name="timeout">How long to keep trying while the cluster cannot answer (electing its leaders, placing a new stream).</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    public static async Task<StreamInfo> EnsureAsync(NatsJSContext js, StreamConfig desired, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        INatsJSStream stream;
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                stream = await js.CreateOrUpdateStreamAsync(desired, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (IsTransient(ex) && DateTime.UtcNow < deadline)
            {
                // Several nodes creating the stream at once on a cluster that is still forming: try again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 << Math.Min(attempt, 4))), cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJSApiException ex)
            {
                throw new EventStoreUnavailableException($"NATS refused stream {desired.Name}: {ex.Error.Description} (code {ex.Error.ErrCode}).", ex);
            }
            catch (Exception ex) when (ex is NatsException or NatsJSException)
            {
                throw new EventStoreUnavailableException($"NATS did not create stream {desired.Name} within {timeout.TotalSeconds:0.#} s: {ex.Message}", ex);
            }
        }

        var applied = stream.Info.Config;
        var differences = new List<string>();
        Check(differences, "subjects", string.Join(',', desired.Subjects ?? []), string.Join(',', applied.Subjects ?? []));
        Check(differences, "num_replicas", desired.NumReplicas, applied.NumReplicas);
        Check(differences, "storage", desired.Storage, applied.Storage);
        Check(differences, "max_msgs", desired.MaxMsgs, applied.MaxMsgs);
        Check(differences, "max_bytes", desired.MaxBytes, applied.MaxBytes);
        Check(differences, "max_age", desired.MaxAge, applied.MaxAge);
        Check(differences, "max_msgs_per_subject", desired.MaxMsgsPerSubject, applied.MaxMsgsPerSubject);
        Check(differences, "duplicate_window", desired.DuplicateWindow, applied.DuplicateWindow);
        Check(differences, "allow_direct", desired.AllowDirect, applied.AllowDirect);
        Check(differences, "discard", desired.Discard, applied.Discard);
        if (differences.Count > 0)
        {
            throw new EventStoreUnavailableException($"NATS did not apply Herald's settings to stream {desired.Name} ({string.Join("; ", differences)}); Herald needs nats-server 2.9 or later with JetStream.");
        }

        var state = stream.Info.State;
        Log.StreamReady(logger, desired.Name!, applied.NumReplicas, applied.Storage.ToString(), state.Messages, state.FirstSeq, state.LastSeq);
        return stream.Info;
    }

    /// <summary>No answer, or "no leader yet" (503), or a creation racing another node's: all pass.</summary>
    private static bool IsTransient(Exception ex)
        => ex is NatsJSApiNoResponseException or NatsNoRespondersException or NatsJSTimeoutException
            || (ex is NatsJSApiException api && (api.Error.Code == 503 || api.Error.ErrCode == StreamNameInUse));

    /// <summary>Another node created the stream between this one's update and create.</summary>
    private const int StreamNameInUse = 10058;

    private static void Check<T>(List<string> differences, string name, T wanted, T applied)
    {
        if (!EqualityComparer<T>.Default.Equals(wanted, applied))
        {
            differences.Add($"{name} {applied} instead of {wanted}");
        }
    }
}
