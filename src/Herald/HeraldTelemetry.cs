namespace Herald;

/// <summary>Names under which Herald reports its metrics, for exporters (<c>dotnet-counters</c>, OpenTelemetry, Prometheus).</summary>
public static class HeraldTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every Herald instrument is on: <c>Herald</c>.</summary>
    public const string MeterName = "Herald";
}
