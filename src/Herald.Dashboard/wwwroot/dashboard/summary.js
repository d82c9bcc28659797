// One readable line per event: sentences for UniFi WiFi events, the payload's own text or its fields otherwise.

const MAX = 240;

const BANDS = { ng: "2.4 GHz", na: "5 GHz", "6e": "6 GHz" };

/** @param {unknown} radio */
function band(radio) {
  return typeof radio === "string" ? BANDS[radio] ?? radio : null;
}

/**
 * Whether the event is a WiFi client event published by Herald's UniFi source.
 * @param {{type: string, data: any}} e
 */
export function isUniFiWifi(e) {
  return e.data !== null && typeof e.data === "object" && typeof e.data.clientMac === "string"
    && (/^w[ug]\./.test(e.type) || e.type === "sta:sync");
}

/**
 * A sentence such as "iPhone connected to LivingRoom-AP on Home-WiFi".
 * @param {{type: string, data: any}} e
 */
export function uniFiSentence(e) {
  const d = e.data;
  const guest = d.guest === true || e.type.startsWith("wg.");
  const who = (guest ? "Guest " : "") + (d.hostname || d.clientMac);
  const ap = d.apName || d.apMac || "an access point";
  const on = d.ssid ? ` on ${d.ssid}` : "";
  switch (e.type.replace(/^wg\./, "wu.")) {
    case "wu.connected":
      return `${who} connected to ${ap}${on}`;
    case "wu.disconnected":
      return `${who} disconnected from ${ap}${on}`;
    case "wu.roam":
      // The controller's ap_name does not say which of the two access points it names: MACs only.
      return `${who} roamed from ${d.apFrom || "an access point"} to ${d.apTo || d.apMac || "an access point"}${on}`;
    case "wu.roam_radio": {
      const from = [band(d.radioFrom), d.channelFrom != null ? `channel ${d.channelFrom}` : null].filter(Boolean).join(", ");
      const to = [band(d.radioTo ?? d.radio), d.channelTo != null ? `channel ${d.channelTo}` : null].filter(Boolean).join(", ");
      const change = from && to ? ` from ${from} to ${to}` : to ? ` to ${to}` : "";
      return `${who} switched radio on ${ap}${change}`;
    }
    case "sta:sync": {
      const radio = [band(d.radio), d.channel != null ? `channel ${d.channel}` : null].filter(Boolean).join(", ");
      return `${who} is on ${ap}${on}${radio ? ` (${radio})` : ""}`;
    }
    default:
      return `${who}: ${e.type} at ${ap}${on}`;
  }
}

/** @param {unknown} value */
function scalar(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === "object") return "{…}";
  return String(value);
}

/** @param {string} text */
function clip(text) {
  return text.length > MAX ? text.slice(0, MAX - 1) + "…" : text;
}

const TEXT_FIELDS = ["summary", "message", "text", "msg", "description", "title"];

/**
 * The one-line summary of an event.
 * @param {{type: string, data: any}} e
 * @returns {string}
 */
export function summarize(e) {
  if (isUniFiWifi(e)) return clip(uniFiSentence(e));
  const d = e.data;
  if (d === null || d === undefined) return "";
  if (typeof d !== "object") return clip(String(d));
  if (Array.isArray(d)) return clip(`${d.length} item${d.length === 1 ? "" : "s"}: ${d.slice(0, 6).map(scalar).join(", ")}`);
  for (const field of TEXT_FIELDS) {
    if (typeof d[field] === "string" && d[field].trim() !== "") return clip(d[field]);
  }
  return clip(Object.entries(d).slice(0, 10).map(([k, v]) => `${k}=${scalar(v)}`).join("  "));
}
