using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Herald.Benchmarks.Reporting;

/// <summary>Renders latest.html: the markdown's content as HTML, with each scenario's curves as inline SVG charts.</summary>
public static class HtmlReport
{
    public static string Render(BenchReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Herald benchmark</title><style>")
            .Append("body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0;font-size:14px}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".pass{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}.charts{display:flex;flex-wrap:wrap}.chart{margin:0 1em 1em 0;max-width:640px}.chart p{font-size:13px;color:#444}</style></head><body>");
        html.Append("<h1>Herald benchmark results</h1><ul>");
        foreach (var line in MarkdownReport.Header(report))
        {
            html.Append("<li>").Append(Inline(line)).Append("</li>");
        }
        html.Append("</ul><h2>Targets</h2><table><tr><th>target</th><th>measured</th><th>result</th></tr>");
        foreach (var check in report.Scenarios.SelectMany(s => s.Checks))
        {
            html.Append(Format.Inv($"<tr><td>{Esc(check.Target)}</td><td style=\"text-align:left\">{Esc(check.Measured)}</td><td class=\"{(check.Pass ? "pass" : "fail")}\">{(check.Pass ? "PASS" : "FAIL")}</td></tr>"));
        }
        html.Append("</table>");
        foreach (var scenario in report.Scenarios)
        {
            html.Append("<h2>").Append(Esc(scenario.Title)).Append("</h2><p>").Append(Inline(scenario.Method)).Append("</p>");
            foreach (var table in scenario.Tables)
            {
                if (table.Title.Length > 0)
                {
                    html.Append("<h4>").Append(Esc(table.Title)).Append("</h4>");
                }
                html.Append("<table><tr>");
                foreach (var header in table.Headers)
                {
                    html.Append("<th>").Append(Esc(header)).Append("</th>");
                }
                html.Append("</tr>");
                foreach (var row in table.Rows)
                {
                    html.Append("<tr>");
                    foreach (var cell in row)
                    {
                        html.Append("<td>").Append(Esc(cell)).Append("</td>");
                    }
                    html.Append("</tr>");
                }
                html.Append("</table>");
            }
            html.Append("<div class=\"charts\">");
            foreach (var chart in scenario.Charts)
            {
                html.Append("<div class=\"chart\">").Append(SvgChart.Render(chart));
                if (chart.Caption.Length > 0)
                {
                    html.Append("<p>").Append(Esc(chart.Caption)).Append("</p>");
                }
                html.Append("</div>");
            }
            html.Append("</div><ul>");
            foreach (var line in scenario.Notes)
            {
                html.Append("<li>").Append(Inline(line)).Append("</li>");
            }
            foreach (var m in scenario.Measurements.Where(m => !string.IsNullOrEmpty(m.Note)))
            {
                html.Append("<li>").Append(Esc(Format.Inv($"{m.Server}, round {m.Round}: {m.Note}"))).Append("</li>");
            }
            foreach (var check in scenario.Checks)
            {
                html.Append(Format.Inv($"<li class=\"{(check.Pass ? "pass" : "fail")}\">{(check.Pass ? "PASS" : "FAIL")}: {Esc(check.Target)} — {Esc(check.Measured)}</li>"));
            }
            html.Append("</ul>");
        }
        if (report.HarnessErrors.Count > 0)
        {
            html.Append("<h2>Harness errors</h2>");
            foreach (var error in report.HarnessErrors)
            {
                html.Append("<pre>").Append(Esc(error)).Append("</pre>");
            }
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Escapes text and renders the markdown it may hold: **bold** and `code`.</summary>
    private static string Inline(string text)
    {
        var html = Regex.Replace(Esc(text), @"\*\*(.+?)\*\*", "<b>$1</b>");
        return Regex.Replace(html, "`(.+?)`", "<code>$1</code>");
    }
}
