using System.Globalization;
using System.Net;
using System.Text;

namespace Herald.Benchmarks.Reporting;

/// <summary>Draws a <see cref="Chart"/> as inline SVG: grouped bars or lines, one colour per server.</summary>
public static class SvgChart
{
    private const int Width = 640;
    private const int Height = 340;
    private const int Left = 80;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 70;
    private static readonly string[] Colors = ["#d1495b", "#00798c", "#edae49", "#30638e", "#66a182", "#8d6a9f", "#2e4057", "#f28f3b", "#6c757d", "#b5838d"];

    public static string Render(Chart chart)
    {
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(chart.Title)}</text>"));
        var values = (chart.Lines ? chart.Series.SelectMany(s => s.Points.Select(p => p.Y)) : chart.Series.SelectMany(s => s.Values))
            .Where(v => !double.IsNaN(v) && !double.IsInfinity(v) && (!chart.LogY || v > 0)).ToList();
        var y = chart.LogY
            ? new Axis(true, LogFloor(values.DefaultIfEmpty(1).Min()), LogCeiling(values.DefaultIfEmpty(10).Max()))
            : new Axis(false, 0, NiceCeiling(Math.Max(values.DefaultIfEmpty(1).Max(), 1e-9)));
        Axes(svg, chart, y);
        if (chart.Lines)
        {
            DrawLines(svg, chart, y);
        }
        else
        {
            DrawBars(svg, chart, y);
        }
        Legend(svg, chart);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A linear or logarithmic axis from <c>Min</c> to <c>Max</c>, mapping a value to 0..1.</summary>
    private readonly record struct Axis(bool Log, double Min, double Max)
    {
        public double Fraction(double value)
            => Log ? (Math.Log10(Math.Max(value, Min)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
                : (value - Min) / (Max - Min);

        public IEnumerable<double> Ticks()
        {
            if (!Log)
            {
                for (var i = 0; i <= 4; i++)
                {
                    yield return Min + ((Max - Min) * i / 4);
                }
                yield break;
            }
            for (var v = Min; v <= Max * 1.0001; v *= 10)
            {
                yield return v;
            }
        }
    }

    private static void Axes(StringBuilder svg, Chart chart, Axis y)
    {
        var plotHeight = Height - Top - Bottom;
        foreach (var tick in y.Ticks())
        {
            var py = Top + plotHeight - (plotHeight * y.Fraction(tick));
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{py:0.#}\" y2=\"{py:0.#}\" stroke=\"#ddd\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{py + 4:0.#}\" text-anchor=\"end\">{Short(tick)}</text>"));
        }
        svg.Append(Inv($"<text x=\"14\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 14 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{Esc(chart.YLabel)}</text>"));
        if (chart.XLabel.Length > 0)
        {
            svg.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 36}\" text-anchor=\"middle\">{Esc(chart.XLabel)}</text>"));
        }
    }

    private static void DrawBars(StringBuilder svg, Chart chart, Axis y)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var groups = Math.Max(1, chart.Categories.Count);
        var groupWidth = plotWidth / (double)groups;
        var barWidth = groupWidth * 0.8 / Math.Max(1, chart.Series.Count);
        for (var g = 0; g < groups; g++)
        {
            var x0 = Left + (g * groupWidth) + (groupWidth * 0.1);
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var value = g < chart.Series[s].Values.Count ? chart.Series[s].Values[g] : double.NaN;
                if (double.IsNaN(value) || double.IsInfinity(value) || (y.Log && value <= 0))
                {
                    continue;
                }
                var h = plotHeight * Math.Clamp(y.Fraction(value), 0, 1);
                var x = x0 + (s * barWidth);
                svg.Append(Inv($"<rect x=\"{x:0.#}\" y=\"{Top + plotHeight - h:0.#}\" width=\"{Math.Max(1, barWidth - 2):0.#}\" height=\"{h:0.#}\" fill=\"{Colors[s % Colors.Length]}\"><title>{Esc(chart.Series[s].Name)}: {Short(value)}</title></rect>"));
            }
            var label = g < chart.Categories.Count ? chart.Categories[g] : "";
            svg.Append(Inv($"<text x=\"{Left + (g * groupWidth) + (groupWidth / 2):0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{Esc(label)}</text>"));
        }
    }

    private static void DrawLines(StringBuilder svg, Chart chart, Axis y)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var xs = chart.Series.SelectMany(s => s.Points.Select(p => p.X)).Where(v => !double.IsNaN(v) && (!chart.LogX || v > 0)).ToList();
        var x = chart.LogX
            ? new Axis(true, LogFloor(xs.DefaultIfEmpty(1).Min()), LogCeiling(xs.DefaultIfEmpty(10).Max()))
            : new Axis(false, 0, NiceCeiling(xs.DefaultIfEmpty(1).Max()));
        foreach (var tick in x.Ticks())
        {
            var px = Left + (plotWidth * x.Fraction(tick));
            svg.Append(Inv($"<text x=\"{px:0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{Short(tick)}</text>"));
        }
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var points = chart.Series[s].Points
                .Where(p => !double.IsNaN(p.Y) && !double.IsInfinity(p.Y) && !double.IsNaN(p.X) && (!y.Log || p.Y > 0) && (!x.Log || p.X > 0))
                .Select(p => (X: Left + (plotWidth * x.Fraction(p.X)), Y: Top + plotHeight - (plotHeight * Math.Clamp(y.Fraction(p.Y), 0, 1))))
                .ToList();
            var color = Colors[s % Colors.Length];
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(p => Inv($"{p.X:0.#},{p.Y:0.#}")))}\"/>"));
            foreach (var p in points)
            {
                svg.Append(Inv($"<circle cx=\"{p.X:0.#}\" cy=\"{p.Y:0.#}\" r=\"3\" fill=\"{color}\"><title>{Esc(chart.Series[s].Name)}</title></circle>"));
            }
        }
    }

    private static double LogFloor(double value) => Math.Pow(10, Math.Floor(Math.Log10(value <= 0 ? 1 : value)));

    private static double LogCeiling(double value)
    {
        var ceiling = Math.Pow(10, Math.Ceiling(Math.Log10(value <= 0 ? 10 : value)));
        return ceiling <= LogFloor(value) ? ceiling * 10 : ceiling;
    }

    private static void Legend(StringBuilder svg, Chart chart)
    {
        // Entries side by side, each as wide as its name, wrapping to a second line.
        var x = 10.0;
        var y = Height - 26;
        foreach (var (series, s) in chart.Series.Select((series, s) => (series, s)))
        {
            var width = 24 + (series.Name.Length * 7);
            if (x + width > Width - 10)
            {
                x = 10;
                y += 14;
            }
            svg.Append(Inv($"<rect x=\"{x:0}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{Colors[s % Colors.Length]}\"/>"));
            svg.Append(Inv($"<text x=\"{x + 14:0}\" y=\"{y + 9}\">{Esc(series.Name)}</text>"));
            x += width;
        }
    }

    private static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static string Short(double value)
    {
        return Math.Abs(value) switch
        {
            >= 1e6 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
            >= 1e4 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
            >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
            _ => value.ToString("0.##", CultureInfo.InvariantCulture),
        };
    }

    private static string Esc(string text)
    {
        return WebUtility.HtmlEncode(text);
    }

    private static string Inv(FormattableString text)
    {
        return FormattableString.Invariant(text);
    }
}
