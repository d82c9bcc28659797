using NATS.Client.JetStream.Models;

namespace Herald.JetStream.Internal;

/// <summary>Where a <see cref="OrderedReader"/> begins.</summary>
/// <param name="Policy">The consumer's deliver policy.</param>
/// <param name="Sequence">The first stream sequence, for <see cref="ConsumerConfigDeliverPolicy.ByStartSequence"/>.</param>
internal readonly record struct ReadStart(ConsumerConfigDeliverPolicy Policy, ulong Sequence)
{
    /// <summary>From the oldest message stored.</summary>
    public static ReadStart All => new(ConsumerConfigDeliverPolicy.All, 0);

    /// <summary>Only messages stored from now on.</summary>
    public static ReadStart New => new(ConsumerConfigDeliverPolicy.New, 0);

    /// <summary>The newest message of each subject, then everything new.</summary>
    public static ReadStart LastPerSubject => new(ConsumerConfigDeliverPolicy.LastPerSubject, 0);

    /// <summary>From <paramref name="sequence"/> (or the oldest stored after it); 0 or 1 means from the start.</summary>
    public static ReadStart At(ulong sequence) => sequence <= 1 ? All : new(ConsumerConfigDeliverPolicy.ByStartSequence, sequence);
}
