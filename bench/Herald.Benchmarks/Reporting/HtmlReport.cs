using System.Net;
using System.Text;

namespace Herald.Benchmarks.Reporting;

/// <summary>Renders latest.html: the markdown's content as HTML tables plus inline SVG charts.</summary>
public static class HtmlReport
{
    public static string Render(BenchReport report)
    {
        var html = new StringBuilder();
        var m = report.Machine;
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Herald benchmark</title><style>")
            .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".pass{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}.charts svg{margin:0 1em 1em 0}</style></head><body>");
        html.Append("<h1>Herald benchmark results</h1>");
        html.Append(Format.Inv($"<p>{report.Started:yyyy-MM-dd HH:mm:ss zzz} — {(report.Quick ? "quick smoke run (tiny counts)" : "full run")}, {report.Duration.TotalMinutes:0.0} min<br>"));
        html.Append(Esc(Format.Inv($"{m.Cpu}, {m.Cores} cores, {m.Memory} RAM, {m.Os}; {m.Runtime}; GC and JIT: {m.GcAndJit}; open files {m.OpenFilesLimit}; load average {m.LoadAverage}"))).Append("</p>");
        html.Append("<h2>Targets</h2><table><tr><th>target</th><th>measured</th><th>result</th></tr>");
        foreach (var check in report.Scenarios.SelectMany(s => s.Checks))
        {
            html.Append(Format.Inv($"<tr><td>{Esc(check.Target)}</td><td>{Esc(check.Measured)}</td><td class=\"{(check.Pass ? "pass" : "fail")}\">{(check.Pass ? "PASS" : "FAIL")}</td></tr>"));
        }
        html.Append("</table>");
        foreach (var scenario in report.Scenarios)
        {
            html.Append("<h2>").Append(Esc(scenario.Title)).Append("</h2><p>").Append(Esc(scenario.Method)).Append("</p><table><tr><th>server</th>");
            foreach (var column in scenario.Columns)
            {
                html.Append("<th>").Append(Esc(column.Header)).Append("</th>");
            }
            html.Append("<th>notes</th></tr>");
            foreach (var row in scenario.Rows)
            {
                html.Append("<tr><td>").Append(Esc(row.Server)).Append("</td>");
                foreach (var column in scenario.Columns)
                {
                    html.Append("<td>").Append(Esc(Format.Number(row.Get(column.Key), column.Format))).Append("</td>");
                }
                html.Append("<td style=\"text-align:left\">").Append(Esc(row.Note ?? "")).Append("</td></tr>");
            }
            html.Append("</table><ul>");
            foreach (var line in scenario.Ratios.Concat(scenario.Notes))
            {
                html.Append("<li>").Append(Esc(line)).Append("</li>");
            }
            foreach (var check in scenario.Checks)
            {
                html.Append(Format.Inv($"<li class=\"{(check.Pass ? "pass" : "fail")}\">{(check.Pass ? "PASS" : "FAIL")}: {Esc(check.Target)} — {Esc(check.Measured)}</li>"));
            }
            html.Append("</ul><div class=\"charts\">");
            foreach (var chart in scenario.Charts)
            {
                html.Append(SvgChart.Render(chart));
            }
            html.Append("</div>");
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

    private static string Esc(string text)
    {
        return WebUtility.HtmlEncode(text);
    }
}
