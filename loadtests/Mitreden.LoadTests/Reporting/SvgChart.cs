using System.Security;
using System.Text;
using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Reporting;

/// <summary>
/// Hand-written SVG: one panel per scenario, a bar per counted step for the achieved throughput (left axis) and
/// a line through the p99 latencies (right axis). No library, no script, readable in any browser.
/// </summary>
public static class SvgChart
{
    private const int Width = 760;
    private const int PanelHeight = 270;
    private const int Left = 70, Right = 70, Top = 40, Bottom = 50;
    private const string BarColor = "#3b6ea5";
    private const string LineColor = "#c0392b";

    public static string Render(RunResult run)
    {
        var panels = run.Scenarios.Where(s => s.Counted.Any()).ToList();
        var height = Math.Max(1, panels.Count) * PanelHeight + 30;
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" ")
           .Append("font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append($"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
        svg.Append($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">")
           .Append(Esc($"Mitreden load run {run.StartedAt:yyyy-MM-dd HH:mm} UTC: throughput (bars) and p99 latency (line) per step"))
           .Append("</text>\n");
        for (var i = 0; i < panels.Count; i++)
        {
            Panel(svg, panels[i], 30 + i * PanelHeight);
        }
        if (panels.Count == 0)
        {
            svg.Append("<text x=\"20\" y=\"50\">no counted steps</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, ScenarioResult scenario, int y0)
    {
        var steps = scenario.Counted.ToList();
        var plotW = Width - Left - Right;
        var plotH = PanelHeight - Top - Bottom;
        var top = y0 + Top;
        var bottom = top + plotH;
        var maxRate = Format.NiceCeiling(steps.Max(s => s.OkPerSecond));
        var maxP99 = Format.NiceCeiling(steps.Max(s => s.P99Ms));
        var slot = (double)plotW / steps.Count;

        svg.Append($"<g class=\"panel\" data-scenario=\"{Esc(scenario.Name)}\">\n");
        svg.Append($"<text x=\"{Left}\" y=\"{y0 + 22}\" font-size=\"12\" font-weight=\"bold\">{Esc(scenario.Title)}</text>\n");
        // grid and axes
        for (var g = 0; g <= 4; g++)
        {
            var y = bottom - plotH * g / 4.0;
            svg.Append($"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{Left + plotW}\" y2=\"{F(y)}\" stroke=\"#e3e3e3\"/>\n");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" fill=\"{BarColor}\">{Format.Int(maxRate * g / 4)}</text>\n");
            svg.Append($"<text x=\"{Left + plotW + 6}\" y=\"{F(y + 4)}\" fill=\"{LineColor}\">{(maxP99 >= 100 ? Format.Int(maxP99 * g / 4) : Format.N(maxP99 * g / 4, "0.#"))}</text>\n");
        }
        svg.Append($"<line x1=\"{Left}\" y1=\"{top}\" x2=\"{Left}\" y2=\"{bottom}\" stroke=\"#555\"/>\n");
        svg.Append($"<line x1=\"{Left + plotW}\" y1=\"{top}\" x2=\"{Left + plotW}\" y2=\"{bottom}\" stroke=\"#555\"/>\n");
        svg.Append($"<line x1=\"{Left}\" y1=\"{bottom}\" x2=\"{Left + plotW}\" y2=\"{bottom}\" stroke=\"#555\"/>\n");
        svg.Append($"<text transform=\"translate({Left - 52},{F((top + bottom) / 2.0)}) rotate(-90)\" text-anchor=\"middle\" fill=\"{BarColor}\">ok responses/s</text>\n");
        svg.Append($"<text transform=\"translate({Left + plotW + 52},{F((top + bottom) / 2.0)}) rotate(90)\" text-anchor=\"middle\" fill=\"{LineColor}\">p99 ms</text>\n");

        var points = new List<string>();
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var cx = Left + slot * (i + 0.5);
            var barW = Math.Min(60, slot * 0.6);
            var barH = plotH * s.OkPerSecond / maxRate;
            svg.Append($"<rect x=\"{F(cx - barW / 2)}\" y=\"{F(bottom - barH)}\" width=\"{F(barW)}\" height=\"{F(barH)}\" fill=\"{BarColor}\" fill-opacity=\"0.8\">")
               .Append($"<title>{Esc($"{s.Label}: {Format.Int(s.OkPerSecond)} ok/s, p99 {Format.N(s.P99Ms)} ms")}</title></rect>\n");
            svg.Append($"<text x=\"{F(cx)}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{Esc(s.Label)}</text>\n");
            if (s.ErrorCount > 0)
            {
                svg.Append($"<text x=\"{F(cx)}\" y=\"{bottom + 30}\" text-anchor=\"middle\" fill=\"{LineColor}\">{Esc($"{Format.N(s.ErrorRate * 100, "0.##")} % errors")}</text>\n");
            }
            var py = bottom - plotH * Math.Min(s.P99Ms, maxP99) / maxP99;
            points.Add($"{F(cx)},{F(py)}");
            svg.Append($"<circle cx=\"{F(cx)}\" cy=\"{F(py)}\" r=\"3.5\" fill=\"{LineColor}\"/>\n");
        }
        svg.Append($"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{LineColor}\" stroke-width=\"2\"/>\n");
        svg.Append("</g>\n");
    }

    private static string F(double v) => Format.N(v, "0.#");
    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";
}
