using System.Globalization;
using System.Net;
using System.Text;

namespace Herald.Benchmarks.Reporting;

/// <summary>Draws a <see cref="Chart"/> as inline SVG: grouped bars or lines, one colour per server.</summary>
public static class SvgChart
{
    private const int Width = 640;
    private const int Height = 320;
    private const int Left = 80;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 50;
    private static readonly string[] Colors = ["#d1495b", "#00798c", "#edae49", "#30638e"];

    public static string Render(Chart chart)
    {
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(chart.Title)}</text>"));
        var values = chart.Lines ? chart.Series.SelectMany(s => s.Points.Select(p => p.Y)) : chart.Series.SelectMany(s => s.Values);
        var max = values.Where(v => !double.IsNaN(v) && !double.IsInfinity(v)).DefaultIfEmpty(1).Max();
        max = NiceCeiling(max <= 0 ? 1 : max);
        Axes(svg, chart, max);
        if (chart.Lines)
        {
            DrawLines(svg, chart, max);
        }
        else
        {
            DrawBars(svg, chart, max);
        }
        Legend(svg, chart);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Axes(StringBuilder svg, Chart chart, double max)
    {
        var plotHeight = Height - Top - Bottom;
        for (var i = 0; i <= 4; i++)
        {
            var y = Top + plotHeight - (plotHeight * i / 4.0);
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Short(max * i / 4)}</text>"));
        }
        svg.Append(Inv($"<text x=\"14\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 14 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{Esc(chart.YLabel)}</text>"));
        if (chart.XLabel.Length > 0)
        {
            svg.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Esc(chart.XLabel)}</text>"));
        }
    }

    private static void DrawBars(StringBuilder svg, Chart chart, double max)
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
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    continue;
                }
                var h = plotHeight * Math.Min(1, value / max);
                var x = x0 + (s * barWidth);
                svg.Append(Inv($"<rect x=\"{x:0.#}\" y=\"{Top + plotHeight - h:0.#}\" width=\"{barWidth - 2:0.#}\" height=\"{h:0.#}\" fill=\"{Colors[s % Colors.Length]}\"><title>{Esc(chart.Series[s].Name)}: {Short(value)}</title></rect>"));
                svg.Append(Inv($"<text x=\"{x + (barWidth / 2):0.#}\" y=\"{Top + plotHeight - h - 3:0.#}\" text-anchor=\"middle\" font-size=\"10\">{Short(value)}</text>"));
            }
            var label = g < chart.Categories.Count ? chart.Categories[g] : "";
            svg.Append(Inv($"<text x=\"{Left + (g * groupWidth) + (groupWidth / 2):0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{Esc(label)}</text>"));
        }
    }

    private static void DrawLines(StringBuilder svg, Chart chart, double max)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var maxX = NiceCeiling(chart.Series.SelectMany(s => s.Points.Select(p => p.X)).DefaultIfEmpty(1).Max());
        for (var i = 0; i <= 4; i++)
        {
            var x = Left + (plotWidth * i / 4.0);
            svg.Append(Inv($"<text x=\"{x:0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{Short(maxX * i / 4)}</text>"));
        }
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var points = chart.Series[s].Points
                .Where(p => !double.IsNaN(p.Y) && !double.IsInfinity(p.Y))
                .Select(p => (X: Left + (plotWidth * p.X / maxX), Y: Top + plotHeight - (plotHeight * Math.Min(1, p.Y / max))))
                .ToList();
            var color = Colors[s % Colors.Length];
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(p => Inv($"{p.X:0.#},{p.Y:0.#}")))}\"/>"));
            foreach (var p in points)
            {
                svg.Append(Inv($"<circle cx=\"{p.X:0.#}\" cy=\"{p.Y:0.#}\" r=\"3\" fill=\"{color}\"/>"));
            }
        }
    }

    private static void Legend(StringBuilder svg, Chart chart)
    {
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var x = Left + (s * 110);
            svg.Append(Inv($"<rect x=\"{x}\" y=\"{Height - 30}\" width=\"10\" height=\"10\" fill=\"{Colors[s % Colors.Length]}\"/>"));
            svg.Append(Inv($"<text x=\"{x + 14}\" y=\"{Height - 21}\">{Esc(chart.Series[s].Name)}</text>"));
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
