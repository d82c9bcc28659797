// Small formatting helpers shared by the dashboard's views.

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** @param {number} n */
export function formatNumber(n) {
  return Number.isFinite(n) ? (Number.isInteger(n) ? integerFormat : numberFormat).format(n) : "–";
}

/** @param {number} n a rate or a small measure */
export function formatRate(n) {
  if (!Number.isFinite(n)) return "–";
  if (n === 0) return "0";
  if (n < 10) return n.toFixed(n < 1 ? 2 : 1);
  return integerFormat.format(n);
}

/** @param {number} n */
function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

/**
 * "14:03:07.123" for today, "2026-01-25 14:03:07" for another day, in local time.
 * @param {string} iso
 */
export function formatTime(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const clock = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const now = new Date();
  if (t.toDateString() === now.toDateString()) return `${clock}.${pad(t.getMilliseconds(), 3)}`;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${clock}`;
}

/**
 * "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago".
 * @param {string} iso
 */
export function formatAgo(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/**
 * A browser's user agent shortened to its product, such as "Chrome 156" or "python-websockets 12".
 * @param {string | null | undefined} agent
 */
export function shortAgent(agent) {
  if (!agent) return "no user agent";
  const browser = /(Edg|Firefox|Chrome|Chromium|Safari)\/(\d+)/.exec(agent.includes("Edg/") ? agent.replace("Chrome/", "") : agent);
  if (browser) return `${browser[1] === "Edg" ? "Edge" : browser[1]} ${browser[2]}`;
  return agent.length > 40 ? agent.slice(0, 39) + "…" : agent;
}

/**
 * Creates an element with attributes and children (strings become text: nothing is parsed as HTML).
 * @param {string} tag
 * @param {Record<string, string | boolean | null | undefined>} [attributes]
 * @param {Array<Node | string | null | undefined | false>} [children]
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name === "class") element.className = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}
