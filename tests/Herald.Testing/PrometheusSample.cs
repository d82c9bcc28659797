namespace Herald.Testing;

/// <summary>One sample line of the Prometheus text format: a metric name, its labels and its value.</summary>
/// <param name="Name">The sample's name, such as <c>http_requests_total</c> or <c>latency_seconds_bucket</c>.</param>
/// <param name="Labels">The labels, by name.</param>
/// <param name="Value">The value (<see cref="double.NaN"/> and infinities included).</param>
/// <param name="Timestamp">The optional timestamp in milliseconds since the epoch.</param>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? Timestamp)
{
    /// <summary>Whether every label in <paramref name="labels"/> (<c>name=value</c> pairs) has that value here.</summary>
    public bool Has(params (string Name, string Value)[] labels)
        => labels.All(l => Labels.TryGetValue(l.Name, out var value) && value == l.Value);
}
