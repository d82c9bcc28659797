namespace Herald.Testing;

/// <summary>A metric family: its <c># TYPE</c>, <c># HELP</c> and samples, in the order they came.</summary>
/// <param name="Name">The family name, as in its <c># TYPE</c> line.</param>
/// <param name="Type"><c>counter</c>, <c>gauge</c>, <c>histogram</c>, <c>summary</c> or <c>untyped</c>.</param>
/// <param name="Help">The <c># HELP</c> text, unescaped, or null.</param>
/// <param name="Samples">The family's samples.</param>
public sealed record PrometheusFamily(string Name, string Type, string? Help, IReadOnlyList<PrometheusSample> Samples);
