using System.Globalization;

namespace Herald.Benchmarks.Reporting;

/// <summary>Number formatting shared by the reports.</summary>
public static class Format
{
    public static string Number(double value, string format)
    {
        return double.IsNaN(value) || double.IsInfinity(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Ratio(double value)
    {
        return double.IsNaN(value) || double.IsInfinity(value) ? "–" : value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
    }

    public static string Inv(FormattableString text)
    {
        return FormattableString.Invariant(text);
    }
}
