using Herald.Internal.Diagnostics;
using Herald.Internal.Dispatch;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Connections;

/// <summary>
/// What every connection uses and none owns: the subscription index, the log (for replays), options, clock, metrics
/// and logger. One instance for all connections, so each holds one reference instead of six: an idle subscriber's
/// memory is the figure Herald is measured on (bench/, idle memory).
/// </summary>
internal sealed record ConnectionServices(SubscriptionIndex Index, IEventStore Store, HeraldOptions Options, TimeProvider Time, HeraldMetrics Metrics, ILogger Logger);
