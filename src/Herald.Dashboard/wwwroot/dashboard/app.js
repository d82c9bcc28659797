// Herald's dashboard: live feed, connection state, charts, connections and a publish form.
// Plain ES modules served by Herald itself; the feed uses the same browser client any page can use.

import { HeraldClient } from "../herald.js";
import { access } from "./access.js";
import { ApiError, base, del, get, post, request } from "./api.js";
import { LineChart } from "./charts.js";
import { Feed } from "./feed.js";
import { formatAgo, formatNumber, h, shortAgent } from "./format.js";
import { parsePatterns } from "./topics.js";

const PAGE_SIZE = 100;
const WINDOW = 60;
const METRICS_EVERY_MS = 1000;
const HEALTH_EVERY_MS = 5000;
const CONNECTIONS_EVERY_MS = 3000;
const AUTO_PAGES = 5;
/** The close code of a connection whose token expired without a fresh one. */
const TOKEN_EXPIRED = 4004;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const ui = {
  node: $("node"),
  store: $("store"),
  user: $("user"),
  conn: $("conn"),
  connText: $("conn-text"),
  retry: /** @type {HTMLButtonElement} */ ($("retry")),
  theme: /** @type {HTMLButtonElement} */ ($("theme")),
  filters: /** @type {HTMLFormElement} */ ($("filters")),
  topic: /** @type {HTMLInputElement} */ ($("f-topic")),
  topicError: $("f-topic-error"),
  type: /** @type {HTMLSelectElement} */ ($("f-type")),
  search: /** @type {HTMLInputElement} */ ($("f-search")),
  pause: /** @type {HTMLButtonElement} */ ($("pause")),
  banner: $("banner"),
  bannerText: $("banner-text"),
  bannerAction: /** @type {HTMLButtonElement} */ ($("banner-action")),
  feed: $("feed"),
  feedScroll: $("feed-scroll"),
  feedCount: $("feed-count"),
  feedEnd: $("feed-end"),
  feedEndText: $("feed-end-text"),
  loadOlder: /** @type {HTMLButtonElement} */ ($("load-older")),
  metricsError: $("metrics-error"),
  connections: $("connections"),
  connectionsCount: $("connections-count"),
  connectionsError: $("connections-error"),
  connectionsRefresh: /** @type {HTMLButtonElement} */ ($("connections-refresh")),
  publishPanel: $("publish-panel"),
  publish: /** @type {HTMLFormElement} */ ($("publish")),
  publishResult: /** @type {HTMLOutputElement} */ ($("publish-result")),
  tokenForm: /** @type {HTMLFormElement} */ ($("token-form")),
  tokenText: $("token-text"),
  tokenInput: /** @type {HTMLInputElement} */ ($("token-input")),
  tokenError: $("token-error"),
  topicsScope: $("chart-topics-scope"),
};

// ---- theme ----

const THEMES = ["auto", "dark", "light"];
const THEME_KEY = "herald.theme";

function storedTheme() {
  try { return localStorage.getItem(THEME_KEY) ?? "auto"; } catch { return "auto"; }
}

/** @param {string} theme */
function applyTheme(theme) {
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  ui.theme.textContent = `Theme: ${theme}`;
  ui.theme.setAttribute("aria-label", `Colour theme: ${theme}. Change theme`);
}

let theme = THEMES.includes(storedTheme()) ? storedTheme() : "auto";
applyTheme(theme);
ui.theme.addEventListener("click", () => {
  theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  try { localStorage.setItem(THEME_KEY, theme); } catch { /* private mode: this page only */ }
  applyTheme(theme);
});

// ---- capabilities ----

/** What the server says this user may do (GET /api/me); a server without the document refuses nothing. */
const grants = { publish: true, admin: true };
/** @type {Promise<void> | null} */
let capabilitiesLoaded = null;
/** @type {string | null} who the page's token names */
let subject = null;

async function loadCapabilities() {
  try {
    const me = await get("api/me");
    access.learn(me);
    grants.publish = (me?.grants?.publish?.length ?? 0) > 0;
    grants.admin = me?.grants?.admin === true;
    subject = me?.authenticated ? me.subject ?? null : subject;
    if (subject) {
      ui.user.textContent = `signed in as ${subject}`;
      ui.user.hidden = false;
    }
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      grants.publish = grants.admin = false;
    }
  }
  ui.publishPanel.hidden = !grants.publish;
  renderConnections();
}

// ---- access token ----

/** @type {ReturnType<typeof setTimeout> | undefined} */
let expiryTimer;

/** @param {number} ms */
const clockTime = (ms) => new Date(ms).toLocaleTimeString();

function renderAccess() {
  const { state, expiresAt } = access.status;
  clearTimeout(expiryTimer);
  renderState();
  const stopsAt = access.stopsAt;
  if ((state === "valid" || state === "expiring") && stopsAt !== null) {
    // Say so when it runs out (looking again at least hourly: a timer cannot wait a month).
    expiryTimer = setTimeout(renderAccess, Math.min(3_600_000, Math.max(0, stopsAt - Date.now()) + 100));
  }
  ui.tokenForm.hidden = state === "valid";
  if (state === "valid") return;
  const at = expiresAt === null ? null : clockTime(expiresAt);
  ui.tokenText.textContent = {
    expiring: `Your access token expires ${at ? `at ${at}` : "soon"}. Paste a new one to stay connected.`,
    expired: `Your access token expired${at ? ` at ${at}` : ""}: live events and metrics stopped. Paste a new one to carry on.`,
    refused: "The server does not accept this page's access token. Paste a valid one.",
    missing: "This server needs an access token. Paste one to see its events.",
  }[state];
}

access.onChange(renderAccess);

ui.tokenForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = ui.tokenInput.value.trim();
  if (!value) return;
  ui.tokenError.hidden = true;
  let me;
  try {
    me = await request("api/me", { token: value });
  } catch (error) {
    ui.tokenError.textContent = `Could not check the token: ${error instanceof Error ? error.message : error}`;
    ui.tokenError.hidden = false;
    return;
  }
  if (!me?.authenticated) {
    ui.tokenError.textContent = "The server does not accept this token (expired, or not signed for this server).";
    ui.tokenError.hidden = false;
    return;
  }
  ui.tokenInput.value = "";
  if (subject !== null && me.subject !== subject) {
    // Another user: a live connection cannot change users, and the grants differ. Start again as them.
    access.keep(value);
    location.reload();
    return;
  }
  access.replace(value, me.expiresAt);
  metricsForbidden = false;
  capabilitiesLoaded = loadCapabilities();
  await capabilitiesLoaded;
  void refreshConnections();
});

// ---- server health ----

let storeLastId = null;

async function loadHealth() {
  let health;
  try {
    health = await request("api/health", { open: true });
  } catch (error) {
    health = error instanceof ApiError ? /** @type {any} */ (error).body : null;
    if (!health) {
      ui.store.textContent = "unreachable";
      ui.store.dataset.status = "unhealthy";
      return null;
    }
  }
  ui.node.textContent = health.node ?? "unknown";
  const store = health.components?.store;
  if (store) {
    ui.store.textContent = `${String(store.details?.type ?? "store").replace(/EventStore$/, "")} · ${store.status}`;
    ui.store.dataset.status = store.status;
    ui.store.title = store.error ?? "";
    if (Number.isSafeInteger(store.details?.lastId)) {
      storeLastId = Math.max(storeLastId ?? 0, store.details.lastId);
      $("stat-last-id").textContent = formatNumber(storeLastId);
    }
  }
  return health;
}

// ---- feed ----

const feed = new Feed({
  list: ui.feed,
  scroller: ui.feedScroll,
  onChange: renderFeedCount,
  onTypes: renderTypes,
});

/** @type {HeraldClient | null} */
let client = null;
let generation = 0;
let pattern = "#";
let exhausted = false;
let loadingOlder = false;
let reconnected = false;
let caughtUp = 0;

function renderFeedCount() {
  const parts = [`${formatNumber(feed.size)} loaded`];
  const visible = feed.visible;
  if (visible !== feed.size) parts.push(`${formatNumber(visible)} shown`);
  ui.feedCount.textContent = parts.join(" · ");
  if (feed.paused) {
    showBanner(`Paused: ${formatNumber(feed.pending)} new event${feed.pending === 1 ? "" : "s"} held.`, "Resume", togglePause);
  }
}

/** @param {string[]} types */
function renderTypes(types) {
  const selected = ui.type.value;
  ui.type.replaceChildren(h("option", { value: "" }, ["All types"]), ...types.map((t) => h("option", { value: t }, [t])));
  ui.type.value = types.includes(selected) ? selected : "";
}

/**
 * @param {string} text
 * @param {string} [action]
 * @param {() => void} [onAction]
 */
function showBanner(text, action, onAction) {
  ui.bannerText.textContent = text;
  ui.bannerAction.hidden = !action;
  ui.bannerAction.textContent = action ?? "";
  ui.bannerAction.onclick = onAction ?? null;
  ui.banner.hidden = false;
}

function hideBanner() {
  ui.banner.hidden = true;
}

function renderFeedEnd() {
  if (loadingOlder) ui.feedEndText.textContent = "Loading older events…";
  else if (exhausted) ui.feedEndText.textContent = feed.size ? "Beginning of the history." : "No events yet.";
  else ui.feedEndText.textContent = "";
  ui.loadOlder.hidden = exhausted || loadingOlder;
}

/**
 * @param {string} text the topic field, one or more comma-separated patterns
 */
async function startFeed(text) {
  const { patterns, error } = parsePatterns(text);
  if (error) {
    ui.topic.setAttribute("aria-invalid", "true");
    ui.topicError.textContent = error;
    ui.topicError.hidden = false;
    return;
  }
  const mine = ++generation;
  // Who the user is decides whether the feed may connect at all (a server that needs a token the page lacks).
  await (capabilitiesLoaded ??= loadCapabilities());
  const topicParam = encodeURIComponent(patterns.join(","));
  const health = await loadHealth();
  const lastId = health?.components?.store?.details?.lastId;
  let page = null;
  if (Number.isSafeInteger(lastId)) {
    try {
      page = await get(`api/events?topic=${topicParam}&before=${lastId + 1}&limit=${PAGE_SIZE}`);
    } catch (failure) {
      if (mine !== generation) return;
      if (failure instanceof ApiError && failure.status === 400) {
        ui.topic.setAttribute("aria-invalid", "true");
        ui.topicError.textContent = failure.message;
        ui.topicError.hidden = false;
        return;
      }
    }
  }
  if (mine !== generation) return;

  ui.topic.removeAttribute("aria-invalid");
  ui.topicError.hidden = true;
  pattern = patterns.join(",");
  ui.topicsScope.textContent = `(feed: ${pattern})`;
  client?.close();
  feed.reset();
  topicCounts = new Map();
  topicHistory.length = 0;
  hideBanner();
  if (feed.paused) renderFeedCount();
  if (page) feed.addOlder(page.events);
  exhausted = page ? page.prev == null : false;
  renderFeedEnd();

  const next = new HeraldClient({
    url: base,
    topics: patterns,
    getToken: (request) => access.forClient(request),
    since: Number.isSafeInteger(lastId) ? lastId : undefined,
  });
  client = next;
  next.on("event", (event) => {
    feed.addLive(event);
    topicCounts.set(event.topic, (topicCounts.get(event.topic) ?? 0) + 1);
    if (storeLastId === null || event.id > storeLastId) {
      storeLastId = event.id;
      $("stat-last-id").textContent = formatNumber(storeLastId);
    }
    if (reconnected) caughtUp++;
  });
  next.on("state", () => renderState());
  next.on("welcome", () => {
    if (next !== client) return;
    void loadHealth();
    void refreshConnections();
    if (feed.size === 0 && !exhausted) void loadOlder();
  });
  next.on("disconnected", (event) => {
    reconnected = true;
    caughtUp = 0;
    if (event.code === TOKEN_EXPIRED) access.refusedByServer(true);
  });
  next.on("resumed", () => {
    if (!reconnected) return;
    reconnected = false;
    if (caughtUp > 0 && !feed.paused) {
      showBanner(`Back online: ${formatNumber(caughtUp)} event${caughtUp === 1 ? "" : "s"} arrived while disconnected.`, "Dismiss", hideBanner);
    }
  });
  next.on("incomplete", () => {
    if (next !== client) return;
    // Part of what this page missed is gone (retention), or the server's store was reset: start over.
    void startFeed(pattern).then(() => showBanner("Some events this page missed were already removed by the server's retention; the feed was reloaded.", "Dismiss", hideBanner));
  });
  next.connect().catch(() => { /* state "closed" says it */ });
  renderState();
}

async function loadOlder() {
  let pages = 0;
  while (!loadingOlder && !exhausted && pages < AUTO_PAGES) {
    const before = feed.oldest ?? (client?.lastId != null ? client.lastId + 1 : null);
    if (before == null || before <= 1) {
      exhausted = before != null;
      break;
    }
    const mine = generation;
    loadingOlder = true;
    renderFeedEnd();
    try {
      const page = await get(`api/events?topic=${encodeURIComponent(pattern)}&before=${before}&limit=${PAGE_SIZE}`);
      if (mine !== generation) return;
      feed.addOlder(page.events);
      exhausted = page.prev == null;
    } catch (error) {
      ui.feedEndText.textContent = `Could not load older events: ${error instanceof Error ? error.message : error}`;
      loadingOlder = false;
      ui.loadOlder.hidden = false;
      return;
    } finally {
      loadingOlder = false;
    }
    pages++;
    renderFeedEnd();
    if (!endVisible()) break;
  }
  renderFeedEnd();
}

function endVisible() {
  const rect = ui.feedEnd.getBoundingClientRect();
  const scroller = ui.feedScroll.getBoundingClientRect();
  const bottom = Math.min(window.innerHeight, ui.feedScroll.scrollHeight > ui.feedScroll.clientHeight ? scroller.bottom : window.innerHeight);
  return rect.top < bottom && rect.bottom > 0;
}

new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting)) void loadOlder();
}).observe(ui.feedEnd);
ui.loadOlder.addEventListener("click", () => void loadOlder());

function togglePause() {
  if (feed.paused && feed.pendingOverflow) {
    // More arrived than the page holds while paused: the store has all of it, so reload from there.
    feed.setPaused(false);
    void startFeed(pattern);
  } else {
    feed.setPaused(!feed.paused);
  }
  ui.pause.setAttribute("aria-pressed", String(feed.paused));
  ui.pause.textContent = feed.paused ? "Resume" : "Pause";
  ui.pause.title = feed.paused ? "Resume the feed (p)" : "Pause the feed (p)";
  if (!feed.paused) hideBanner();
  renderFeedCount();
}

ui.pause.addEventListener("click", togglePause);
ui.filters.addEventListener("submit", (event) => {
  event.preventDefault();
  if (ui.topic.value.trim() !== pattern) void startFeed(ui.topic.value);
});
ui.topic.addEventListener("change", () => {
  if (ui.topic.value.trim() !== pattern) void startFeed(ui.topic.value);
});
ui.type.addEventListener("change", () => feed.setType(ui.type.value));
ui.search.addEventListener("input", () => feed.setSearch(ui.search.value));

document.addEventListener("keydown", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  if (event.ctrlKey || event.metaKey || event.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
  if (event.key === "/") {
    event.preventDefault();
    ui.search.focus();
  } else if (event.key === "p") {
    togglePause();
  }
});

// ---- connection state ----

function renderState() {
  const state = client?.state ?? "idle";
  ui.conn.dataset.state = state;
  let text;
  switch (state) {
    case "connected": text = "Connected"; break;
    case "connecting": text = "Connecting…"; break;
    case "reconnecting": {
      const retryAt = client?.retryAt;
      text = retryAt ? `Reconnecting in ${Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))} s` : "Reconnecting…";
      break;
    }
    case "offline": text = "Offline: waiting for the network"; break;
    case "closed": text = "Disconnected"; break;
    default: text = "Starting…";
  }
  const waitingForToken = state !== "connected" && access.status.waiting;
  if (waitingForToken) text = "Waiting for a new access token";
  if (ui.connText.textContent !== text) ui.connText.textContent = text;
  ui.retry.hidden = waitingForToken || !((state === "reconnecting" && client?.retryAt) || state === "offline");
}

ui.retry.addEventListener("click", () => client?.reconnectNow());
setInterval(() => { if (client?.state === "reconnecting") renderState(); }, 250);

// ---- metrics and charts ----

const charts = {
  topics: new LineChart($("chart-topics"), { capacity: WINDOW }),
  connections: new LineChart($("chart-connections"), { capacity: WINDOW, format: formatNumber, area: true }),
  deliveries: new LineChart($("chart-deliveries"), { capacity: WINDOW }),
  latency: new LineChart($("chart-latency"), { capacity: WINDOW }),
};

/** @type {Map<string, number>} */
let topicCounts = new Map();
/** @type {Array<{counts: Map<string, number>, seconds: number}>} */
const topicHistory = [];
/** @type {Array<{time: number, metrics: any}>} */
const samples = [];
let lastTick = performance.now();
let metricsBusy = false;
/** Set when the server refused the metrics for want of the admin grant: asking every second would change nothing. */
let metricsForbidden = false;

async function tick() {
  if (metricsBusy) return;
  metricsBusy = true;
  const now = performance.now();
  topicHistory.push({ counts: topicCounts, seconds: Math.max(0.001, (now - lastTick) / 1000) });
  topicCounts = new Map();
  lastTick = now;
  if (topicHistory.length > WINDOW) topicHistory.shift();
  let metrics = null;
  try {
    if (!metricsForbidden) {
      metrics = await get("api/metrics");
      ui.metricsError.hidden = true;
    }
  } catch (error) {
    metricsForbidden = error instanceof ApiError && error.status === 403;
    ui.metricsError.textContent = metricsForbidden
      ? "Metrics need the admin grant on this server."
      : `Metrics unavailable: ${error instanceof Error ? error.message : error}`;
    ui.metricsError.hidden = false;
  } finally {
    metricsBusy = false;
  }
  samples.push({ time: now, metrics });
  if (samples.length > WINDOW + 1) samples.shift();
  renderCharts(metrics);
}

/**
 * @param {(m: any) => number} read a counter
 * @returns {number[]} its rate per second between samples
 */
function rates(read) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    if (!a.metrics || !b.metrics) { out.push(NaN); continue; }
    const delta = read(b.metrics) - read(a.metrics);
    // A counter that went down means the server restarted: no rate for that step.
    out.push(delta < 0 ? NaN : delta / Math.max(0.001, (b.time - a.time) / 1000));
  }
  return out;
}

/** @param {(m: any) => number} read */
const gauge = (read) => samples.slice(1).map((s) => (s.metrics ? read(s.metrics) : NaN));

/**
 * The latencies of what was broadcast between two samples, from the difference of their histograms
 * (`broadcastLatencyBuckets`, counts since start-up): p50, p99 and max to bucket precision (about 19 %), in ms.
 * NaN for a step without broadcasts, or across a server restart.
 * @param {any} a the earlier metrics
 * @param {any} b the later metrics
 */
function latencyBetween(a, b) {
  const none = { p50: NaN, p99: NaN, max: NaN };
  if (!a?.broadcastLatencyBuckets || !b?.broadcastLatencyBuckets) return none;
  /** @type {Map<number, number>} */
  const before = new Map(a.broadcastLatencyBuckets.map((/** @type {any} */ x) => [x.upperBoundMs, x.count]));
  /** @type {Array<[number, number]>} */
  const steps = [];
  let total = 0;
  for (const { upperBoundMs, count } of b.broadcastLatencyBuckets) {
    const delta = count - (before.get(upperBoundMs) ?? 0);
    if (delta < 0) return none;
    if (delta > 0) {
      steps.push([upperBoundMs, delta]);
      total += delta;
    }
  }
  if (total === 0) return none;
  steps.sort((x, y) => x[0] - y[0]);
  const at = (/** @type {number} */ fraction) => {
    const rank = Math.ceil(total * fraction);
    let seen = 0;
    for (const [bound, n] of steps) {
      seen += n;
      if (seen >= rank) return bound;
    }
    return steps[steps.length - 1][0];
  };
  return { p50: at(0.5), p99: at(0.99), max: steps[steps.length - 1][0] };
}

/** @param {any} metrics the newest sample, or null */
function renderCharts(metrics) {
  const totals = new Map();
  for (const { counts } of topicHistory) for (const [topic, n] of counts) totals.set(topic, (totals.get(topic) ?? 0) + n);
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([topic]) => topic);
  const series = top.map((topic) => ({ name: topic, values: topicHistory.map((t) => (t.counts.get(topic) ?? 0) / t.seconds) }));
  if (totals.size > top.length) {
    series.push({
      name: "other",
      cls: "s5",
      values: topicHistory.map((t) => [...t.counts].reduce((sum, [topic, n]) => (top.includes(topic) ? sum : sum + n), 0) / t.seconds),
    });
  }
  if (series.length === 0) series.push({ name: "no events", cls: "s5", values: topicHistory.map(() => 0) });
  charts.topics.render(series);

  charts.connections.render([{ name: "open", values: gauge((m) => m.connections) }]);
  charts.deliveries.render([
    { name: "delivered/s", values: rates((m) => m.framesSent) },
    { name: "dropped/s", cls: "s3", values: rates((m) => m.framesDropped + m.eventsDropped) },
  ]);
  const latency = samples.slice(1).map((s, i) => latencyBetween(samples[i].metrics, s.metrics));
  charts.latency.render([
    { name: "p50", values: latency.map((l) => l.p50) },
    { name: "p99", cls: "s2", values: latency.map((l) => l.p99) },
    { name: "max", cls: "s5", values: latency.map((l) => l.max) },
  ]);

  if (metrics) {
    $("stat-published").textContent = formatNumber(metrics.eventsPublished);
    $("stat-connections").textContent = formatNumber(metrics.connections);
    $("stat-dropped").textContent = formatNumber(metrics.eventsDropped + metrics.framesDropped);
    $("stat-replays").textContent = formatNumber(metrics.replays);
    $("stat-slow").textContent = formatNumber(metrics.slowConsumerCloses);
  }
}

// ---- connections ----

/** @type {any[]} */
let connections = [];
let connectionsLoaded = false;

async function refreshConnections() {
  await (capabilitiesLoaded ??= loadCapabilities());
  if (!grants.admin) {
    // The server lists connections to administrators only; asking would only be refused.
    connections = [];
    connectionsLoaded = false;
    ui.connectionsCount.textContent = "";
    ui.connections.replaceChildren(h("li", { class: "empty" }, ["Only administrators see the connections."]));
    return;
  }
  try {
    connections = await get("api/connections");
    connectionsLoaded = true;
    ui.connectionsError.hidden = true;
  } catch (error) {
    ui.connectionsError.textContent = `Connections unavailable: ${error instanceof Error ? error.message : error}`;
    ui.connectionsError.hidden = false;
  }
  renderConnections();
}

function renderConnections() {
  if (!connectionsLoaded) return;
  const own = client?.connectionId;
  const sorted = [...connections].sort((a, b) => String(b.connectedAt).localeCompare(String(a.connectedAt)));
  ui.connectionsCount.textContent = `${sorted.length} open`;
  if (sorted.length === 0) {
    ui.connections.replaceChildren(h("li", { class: "empty" }, ["No open connections."]));
    return;
  }
  ui.connections.replaceChildren(...sorted.map((c) => {
    const meta = [
      `session ${c.sessionId}`,
      c.remoteAddress ?? "unknown address",
      shortAgent(c.userAgent),
      (c.subscriptions ?? []).join(", ") || "no topics",
      `connected ${formatAgo(c.connectedAt)}`,
      `seen ${formatAgo(c.lastSeen)}`,
    ].join(" · ");
    const close = grants.admin ? closeButton(c.id) : null;
    return h("li", { "data-connection": c.id }, [
      h("div", { class: "cid", title: c.id }, [c.id, c.id === own ? h("span", { class: "badge" }, ["this page"]) : null]),
      close ?? h("span"),
      h("div", { class: "meta" }, [meta]),
    ]);
  }));
}

/**
 * Connections whose close waits for its confirmation, until when (ms since the epoch). Kept outside the buttons: the
 * list is drawn again every few seconds, and a confirmation must survive that.
 * @type {Map<string, number>}
 */
const confirming = new Map();
const CONFIRM_MS = 4000;

/** @param {string} id */
function closeButton(id) {
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "small danger", "aria-label": `Close connection ${id}` }, ["Close"]));
  const show = () => {
    const pending = (confirming.get(id) ?? 0) > Date.now();
    if (!pending) confirming.delete(id);
    button.classList.toggle("confirm", pending);
    button.textContent = pending ? "Confirm close" : "Close";
    return pending;
  };
  const pending = show();
  if (pending) setTimeout(show, /** @type {number} */ (confirming.get(id)) - Date.now());
  button.addEventListener("click", async () => {
    if (!show()) {
      // Two steps, so a stray click does not drop someone's connection.
      confirming.set(id, Date.now() + CONFIRM_MS);
      show();
      setTimeout(show, CONFIRM_MS);
      return;
    }
    confirming.delete(id);
    button.disabled = true;
    try {
      await del(`api/connections/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) {
        ui.connectionsError.textContent = `Could not close ${id}: ${error instanceof Error ? error.message : error}`;
        ui.connectionsError.hidden = false;
      }
    }
    await refreshConnections();
  });
  return button;
}

ui.connectionsRefresh.addEventListener("click", () => void refreshConnections());

// ---- publish ----

ui.publish.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(ui.publish);
  const text = String(form.get("data") ?? "").trim();
  let data = null;
  try {
    data = text === "" ? null : JSON.parse(text);
  } catch (error) {
    ui.publishResult.className = "bad";
    ui.publishResult.textContent = `Data is not valid JSON: ${error instanceof Error ? error.message : error}`;
    return;
  }
  /** @type {Record<string, unknown>} */
  const body = { topic: String(form.get("topic") ?? "").trim(), type: String(form.get("type") ?? "").trim(), data };
  const source = String(form.get("source") ?? "").trim();
  if (source) body.source = source;
  ui.publishResult.className = "";
  ui.publishResult.textContent = "Publishing…";
  try {
    const answer = await post("api/events", body);
    ui.publishResult.className = "good";
    ui.publishResult.textContent = `Stored as #${answer.ids[0]}`;
  } catch (error) {
    ui.publishResult.className = "bad";
    ui.publishResult.textContent = `Refused: ${error instanceof Error ? error.message : error}`;
  }
});
ui.publish.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    ui.publish.requestSubmit();
  }
});

// ---- start ----

void (capabilitiesLoaded ??= loadCapabilities());
void startFeed(ui.topic.value);
void refreshConnections();
void tick();
setInterval(() => void tick(), METRICS_EVERY_MS);
setInterval(() => void loadHealth(), HEALTH_EVERY_MS);
setInterval(() => void refreshConnections(), CONNECTIONS_EVERY_MS);
