// Hand-written SVG line charts: no library. A chart shows a fixed window of samples, newest at the right.

import { formatRate, h } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 300;
const HEIGHT = 110;
const LEFT = 30;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 12;

/** @param {number} value */
function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 */
function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * @typedef {{name: string, values: number[], cls?: string}} Series
 */

export class LineChart {
  /**
   * @param {HTMLElement} figure a figure holding an svg and a ul.legend
   * @param {{capacity?: number, format?: (n: number) => string, area?: boolean}} [options]
   */
  constructor(figure, options = {}) {
    this.figure = figure;
    this.svg = /** @type {SVGSVGElement} */ (figure.querySelector("svg"));
    this.legend = /** @type {HTMLElement} */ (figure.querySelector(".legend"));
    this.capacity = options.capacity ?? 60;
    this.format = options.format ?? formatRate;
    this.area = options.area ?? false;
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  }

  /**
   * Draws the series; each holds at most `capacity` values, the last one newest. NaN leaves a gap.
   * @param {Series[]} series
   */
  render(series) {
    const values = series.flatMap((s) => s.values.filter(Number.isFinite));
    const max = niceMax(Math.max(0, ...values));
    const plotWidth = WIDTH - LEFT - RIGHT;
    const plotHeight = HEIGHT - TOP - BOTTOM;
    const x = (/** @type {number} */ i, /** @type {number} */ n) => LEFT + ((this.capacity - n + i) / (this.capacity - 1)) * plotWidth;
    const y = (/** @type {number} */ v) => TOP + plotHeight - (Math.min(v, max) / max) * plotHeight;

    const nodes = [];
    for (const fraction of [0, 0.5, 1]) {
      const gy = y(max * fraction);
      nodes.push(svg("line", { class: "grid", x1: LEFT, x2: WIDTH - RIGHT, y1: gy, y2: gy }));
      const label = svg("text", { class: "axis", x: LEFT - 4, y: gy + 3, "text-anchor": "end" });
      label.textContent = this.format(max * fraction);
      nodes.push(label);
    }

    series.forEach((s, index) => {
      const cls = s.cls ?? `s${index % 5}`;
      const n = s.values.length;
      let d = "";
      let drawing = false;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) { drawing = false; return; }
        d += `${drawing ? "L" : "M"}${x(i, n).toFixed(1)} ${y(v).toFixed(1)}`;
        drawing = true;
      });
      if (!d) return;
      if (this.area && s.values.every(Number.isFinite) && n > 1) {
        const fill = `${d}L${x(n - 1, n).toFixed(1)} ${y(0)}L${x(0, n).toFixed(1)} ${y(0)}Z`;
        nodes.push(svg("path", { class: `area ${cls}`, d: fill }));
      }
      nodes.push(svg("path", { class: `line ${cls}`, d, "data-series": s.name }));
    });
    this.svg.replaceChildren(...nodes);

    this.legend.replaceChildren(...series.map((s, index) => {
      const cls = s.cls ?? `s${index % 5}`;
      // The newest sample; a gap ("–") says the last step had nothing to measure.
      const latest = s.values.length > 0 ? s.values[s.values.length - 1] : NaN;
      return h("li", { "data-series": s.name }, [
        h("span", { class: `swatch ${cls}`, "aria-hidden": "true" }),
        h("span", { class: "name", title: s.name }, [s.name]),
        h("span", { class: "value" }, [Number.isFinite(latest) ? this.format(latest) : "–"]),
      ]);
    }));
    this.figure.dataset.max = String(Math.max(0, ...values));
    this.figure.dataset.samples = String(Math.max(0, ...series.map((s) => s.values.length)));
  }
}
