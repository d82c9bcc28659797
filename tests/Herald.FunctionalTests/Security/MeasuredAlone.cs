namespace Herald.FunctionalTests.Security;

/// <summary>
/// Tests that measure the process (its managed heap) run on their own, after the others: tests running beside them
/// would allocate in the same process and blur what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
