namespace Herald.JetStream.Tests.Contracts;

/// <summary>The log contract with the node's cache of recent events answering reads (the default).</summary>
public sealed class JetStreamEventStoreContractTests(NatsFixture nats) : JetStreamEventStoreContract(nats, cacheEvents: 100_000), IClassFixture<NatsFixture>;
