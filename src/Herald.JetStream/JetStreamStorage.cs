namespace Herald.JetStream;

/// <summary>Where the NATS servers keep Herald's streams (<see cref="JetStreamOptions.Storage"/>).</summary>
public enum JetStreamStorage
{
    /// <summary>On disk: survives a server restart. The default.</summary>
    File,

    /// <summary>In memory: faster, but a stream kept by one server is lost when it restarts.</summary>
    Memory,
}
