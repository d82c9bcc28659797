namespace Herald.JetStream.Tests.Contracts;

/// <summary>The log contract with every read going to the stream (<see cref="JetStreamOptions.CacheEvents"/> 0).</summary>
public sealed class JetStreamEventStoreWithoutCacheContractTests(NatsFixture nats) : JetStreamEventStoreContract(nats, cacheEvents: 0), IClassFixture<NatsFixture>;
