// Herald's browser client: protocol v1 (docs/protocol.md) over the browser's WebSocket, no dependencies.
// Documented in docs/browser-client.md; types in herald.d.ts beside this file.
//
//   import { HeraldClient } from "/herald.js";
//   const herald = new HeraldClient({ topics: ["cameras/#"] });
//   herald.on("event", (e) => console.log(e.id, e.topic, e.type, e.data));
//   herald.connect();

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = 1;

/**
 * @typedef {import("./herald.d.ts").HeraldEvent} HeraldEvent
 * @typedef {import("./herald.d.ts").HeraldClientOptions} HeraldClientOptions
 * @typedef {import("./herald.d.ts").ConnectionState} ConnectionState
 * @typedef {import("./herald.d.ts").StateChange} StateChange
 * @typedef {import("./herald.d.ts").HeraldClientEvents} HeraldClientEvents
 * @typedef {import("./herald.d.ts").TokenRequest} TokenRequest
 */

const CLOSE_INVALID_RESUME_TOKEN = 1008;
const CLOSE_SESSION_TAKEN_OVER = 4002;
const CLIENT_CLOSING = 1000;

/** Callback names accepted in the options, mapped to the event they listen to. */
const OPTION_CALLBACKS = {
  onEvent: "event",
  onMessage: "message",
  onState: "state",
  onWelcome: "welcome",
  onResumed: "resumed",
  onIncomplete: "incomplete",
  onDisconnected: "disconnected",
  onError: "error",
};

/** An error answered by the server (its `code`, such as `forbidden` or `bad_request`) or raised by the client. */
export class HeraldError extends Error {
  /**
   * @param {string} message
   * @param {string} code
   */
  constructor(message, code) {
    super(message);
    this.name = "HeraldError";
    /** The server's error code, or `connection_lost` / `not_connected` / `closed` from the client. */
    this.code = code;
  }
}

/**
 * Where this module was served from, less its own file name: `/herald.js` and `/_herald/v1/herald.js` both
 * live under the server's base path.
 * @returns {URL}
 */
function servingServer() {
  const here = new URL(import.meta.url);
  here.search = "";
  here.hash = "";
  here.pathname = here.pathname.replace(/(?:_herald\/v1\/)?herald\.js$/, "");
  return here;
}

/**
 * The server's HTTP base URL, ending in `/`, from an http(s) or ws(s) URL.
 * @param {string | URL} url
 * @returns {URL}
 */
function httpBase(url) {
  const base = new URL(url, globalThis.location?.href);
  if (base.protocol === "ws:") base.protocol = "http:";
  if (base.protocol === "wss:") base.protocol = "https:";
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new TypeError(`Herald: 'url' must be an http(s) or ws(s) URL, not ${base.href}`);
  }
  base.search = "";
  base.hash = "";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return base;
}

/**
 * @param {unknown} topics
 * @param {string} what
 * @returns {string[]}
 */
function topicList(topics, what) {
  const list = typeof topics === "string" ? [topics] : Array.isArray(topics) ? [...topics] : null;
  if (!list || list.length === 0 || list.some((t) => typeof t !== "string" || t.trim() === "" || t.includes(","))) {
    throw new TypeError(`Herald: ${what} must be one or more non-empty topic patterns without commas.`);
  }
  return list;
}

/** @param {unknown} error */
function report(error) {
  if (typeof globalThis.reportError === "function") globalThis.reportError(error);
  else console.error(error);
}

/**
 * A connection to a Herald server that stays connected: it answers heartbeats, reconnects with jittered
 * exponential back-off, and resumes exactly where it left off (same session, `since` the last event it
 * delivered), so listeners see every event once, in id order, across disconnects and server restarts.
 */
export class HeraldClient {
  /** @type {URL} */ #base;
  /** @type {string[]} */ #topics;
  /** @type {string[]} */ #connectTopics = [];
  /** @type {number | null} */ #lastId;
  /** @type {string | null} */ #fixedSession;
  /** @type {string | null} */ #sessionId;
  /** @type {string | null} */ #resumeToken;
  /** @type {string | null} */ #connectionId = null;
  /** @type {number} */ #heartbeat = 0;
  /** @type {((request: TokenRequest) => string | null | undefined | Promise<string | null | undefined>) | null} */ #getToken;
  #policy;
  /** @type {number} */ #connectTimeout;
  /** @type {boolean} */ #resolveStart;
  /** @type {typeof WebSocket} */ #WebSocket;
  /** @type {typeof fetch | null} */ #fetch;

  /** @type {WebSocket | null} */ #ws = null;
  #welcomed = false;
  #everConnected = false;
  #started = false;
  #stopped = false;
  #generation = 0;
  #attempt = 0;
  /** @type {ConnectionState} */ #state = "idle";
  /** @type {number | null} */ #retryAt = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #retryTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #watchdog;
  #nextRef = 1;
  /** @type {Map<string, {resolve: (frame: any) => void, reject: (error: Error) => void, completeOnDisconnect: boolean}>} */
  #pending = new Map();
  /** @type {Map<string, Set<(detail: any) => void>>} */
  #listeners = new Map();
  /** @type {{resolve: () => void, reject: (error: Error) => void, promise: Promise<void>} | null} */
  #connected = null;
  #onOnline = () => this.#online();
  #onOffline = () => this.#offline();

  /** @param {HeraldClientOptions} [options] */
  constructor(options = {}) {
    this.#base = httpBase(options.url ?? servingServer());
    this.#topics = topicList(options.topics ?? ["#"], "'topics'");
    if (options.since != null && !(Number.isSafeInteger(options.since) && options.since >= 0)) {
      throw new TypeError("Herald: 'since' must be a non-negative integer event id.");
    }
    this.#lastId = options.since ?? null;
    this.#fixedSession = options.session ?? null;
    this.#sessionId = options.session ?? null;
    this.#resumeToken = options.resumeToken ?? null;
    this.#getToken = options.getToken ?? null;
    const reconnect = options.reconnect ?? {};
    this.#policy = {
      minDelay: reconnect.minDelay ?? 1000,
      maxDelay: reconnect.maxDelay ?? 30000,
      factor: reconnect.factor ?? 2,
      jitter: reconnect.jitter ?? 0.5,
    };
    if (!(this.#policy.minDelay >= 0 && this.#policy.maxDelay >= this.#policy.minDelay && this.#policy.factor >= 1
      && this.#policy.jitter >= 0 && this.#policy.jitter <= 1)) {
      throw new TypeError("Herald: 'reconnect' needs 0 <= minDelay <= maxDelay, factor >= 1 and 0 <= jitter <= 1.");
    }
    this.#connectTimeout = options.connectTimeout ?? 10000;
    this.#resolveStart = options.resolveStart ?? true;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#fetch = options.fetch ?? (typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : null);
    for (const [name, type] of Object.entries(OPTION_CALLBACKS)) {
      const callback = /** @type {any} */ (options)[name];
      if (typeof callback === "function") this.on(/** @type {any} */ (type), callback);
    }
  }

  /** The connection state: `idle`, `connecting`, `connected`, `reconnecting`, `offline` or `closed`. */
  get state() { return this.#state; }

  /** The id of the last event delivered (the `since` of the next connection), or `null` before the first. */
  get lastId() { return this.#lastId; }

  /** The session this client belongs to (from the server's `welcome`), or `null` before the first welcome. */
  get sessionId() { return this.#sessionId; }

  /** The session's resume token; keep it with {@link sessionId} to resume the session after a page reload. */
  get resumeToken() { return this.#resumeToken; }

  /** The current connection's id, or `null` while not connected. */
  get connectionId() { return this.#welcomed ? this.#connectionId : null; }

  /** The topic patterns subscribed, kept across reconnects. */
  get topics() { return [...this.#topics]; }

  /** When the next reconnect attempt starts (milliseconds since the epoch), or `null` when none is scheduled. */
  get retryAt() { return this.#retryAt; }

  /** The server's HTTP base URL (ending in `/`). */
  get url() { return this.#base.href; }

  /**
   * Listens to `event`, `message`, `state`, `welcome`, `resumed`, `incomplete`, `disconnected` or `error`.
   * @template {keyof HeraldClientEvents} K
   * @param {K} type
   * @param {(detail: HeraldClientEvents[K]) => void} listener
   * @returns {() => void} a function that removes the listener
   */
  on(type, listener) {
    if (typeof listener !== "function") throw new TypeError("Herald: a listener must be a function.");
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, set = new Set());
    set.add(listener);
    return () => this.off(type, listener);
  }

  /**
   * Removes a listener added with {@link on}.
   * @template {keyof HeraldClientEvents} K
   * @param {K} type
   * @param {(detail: HeraldClientEvents[K]) => void} listener
   */
  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /**
   * Starts connecting (and reconnecting until {@link close}). Resolves once the server welcomed the first
   * connection; rejects if the client closes before that.
   * @returns {Promise<void>}
   */
  connect() {
    if (this.#stopped) return Promise.reject(new HeraldError("Herald: the client was closed; create a new one.", "closed"));
    if (!this.#connected) {
      /** @type {any} */ const deferred = {};
      deferred.promise = new Promise((resolve, reject) => { deferred.resolve = resolve; deferred.reject = reject; });
      deferred.promise.catch(() => {});
      this.#connected = deferred;
    }
    if (!this.#started) {
      this.#started = true;
      globalThis.addEventListener?.("online", this.#onOnline);
      globalThis.addEventListener?.("offline", this.#onOffline);
      void this.#open();
    }
    return /** @type {Promise<void>} */ (this.#connected?.promise);
  }

  /** Closes the connection for good and stops reconnecting. */
  close() {
    this.#terminate("closed by the application");
  }

  /** While waiting to reconnect (or offline), tries again now instead of at {@link retryAt}. */
  reconnectNow() {
    if (this.#stopped || !this.#started || this.#ws) return;
    clearTimeout(this.#retryTimer);
    void this.#open();
  }

  /**
   * Adds topic patterns, kept across reconnects; live from now (events before it are not replayed).
   * @param {string | string[]} topics
   * @returns {Promise<void>} resolves when the server confirmed, or at once while not connected
   */
  async subscribe(topics) {
    const list = topicList(topics, "subscribe()'s topics").filter((t) => !this.#topics.includes(t));
    if (list.length === 0) return;
    this.#topics.push(...list);
    try {
      await this.#requestIfConnected({ type: "subscribe", topics: list }, true);
    } catch (error) {
      // The server refused a pattern: keep it out of the next connection's URL, which it would refuse too.
      this.#topics = this.#topics.filter((t) => !list.includes(t));
      throw error;
    }
  }

  /**
   * Removes topic patterns subscribed before. At least one pattern must remain: close the client instead.
   * @param {string | string[]} topics
   * @returns {Promise<void>} resolves when the server confirmed, or at once while not connected
   */
  async unsubscribe(topics) {
    const list = topicList(topics, "unsubscribe()'s topics").filter((t) => this.#topics.includes(t));
    if (list.length === 0) return;
    if (list.length === this.#topics.length) {
      throw new RangeError("Herald: unsubscribe() would leave no topics (the server reads that as '#'); call close() instead.");
    }
    this.#topics = this.#topics.filter((t) => !list.includes(t));
    await this.#requestIfConnected({ type: "unsubscribe", topics: list }, true);
  }

  /**
   * Publishes over the WebSocket (servers allow it only with `Herald:AllowClientPublish=true`; otherwise this
   * rejects with code `forbidden`: publish with `POST /api/events` instead).
   * @param {{topic: string, type: string, data?: unknown, time?: string, source?: string} | Array<{topic: string, type: string, data?: unknown, time?: string, source?: string}>} events
   * @returns {Promise<{id: number, ids: number[]}>} the stored ids
   */
  async publish(events) {
    const frame = await this.#request({ type: "publish", data: events });
    return { id: frame.id, ids: frame.ids ?? [frame.id] };
  }

  /**
   * Sends a `message` frame to the application behind the server and waits for its acknowledgement.
   * @param {unknown} data any JSON value
   * @returns {Promise<void>}
   */
  async sendMessage(data) {
    await this.#request({ type: "message", data });
  }

  // ---- connection loop ----

  async #open() {
    const generation = ++this.#generation;
    this.#retryAt = null;
    this.#setState(this.#everConnected ? "reconnecting" : "connecting", {});
    let url;
    try {
      if (this.#lastId == null && this.#resolveStart) await this.#resolveStartPosition();
      const token = this.#getToken ? await this.#getToken({ reason: "connect", expiresAt: null }) : null;
      if (generation !== this.#generation || this.#stopped) return;
      url = this.#socketUrl(token ?? null);
    } catch (error) {
      if (generation !== this.#generation || this.#stopped) return;
      this.#emit("error", { code: "connect_failed", message: `Could not prepare the connection: ${error}` });
      this.#scheduleReconnect(`could not prepare the connection: ${error}`);
      return;
    }

    let ws;
    try {
      ws = new this.#WebSocket(url);
    } catch (error) {
      this.#emit("error", { code: "connect_failed", message: String(error) });
      this.#scheduleReconnect(String(error));
      return;
    }
    this.#ws = ws;
    this.#welcomed = false;
    this.#connectTopics = [...this.#topics];
    this.#arm(this.#connectTimeout, ws, "the server did not answer in time");
    ws.onmessage = (message) => {
      if (this.#ws !== ws) return;
      this.#arm(this.#deadTimeout(), ws, "no frame from the server for three heartbeats");
      this.#onFrame(ws, message.data);
    };
    ws.onclose = (event) => this.#onClose(ws, event);
    ws.onerror = () => { /* a close event follows with the details a browser gives */ };
  }

  /** Before a first connection with no `since`: the store's newest id, so even that connection resumes exactly. */
  async #resolveStartPosition() {
    if (!this.#fetch) return;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#connectTimeout);
    try {
      const headers = {};
      const token = this.#getToken ? await this.#getToken({ reason: "connect", expiresAt: null }) : null;
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await this.#fetch(new URL("api/health", this.#base), { headers, signal: abort.signal, cache: "no-store" });
      const health = await response.json();
      const store = health?.components?.store;
      if (store?.status === "healthy" && Number.isSafeInteger(store?.details?.lastId) && this.#lastId == null) {
        this.#lastId = store.details.lastId;
      }
    } catch {
      // Unknown: this connection is live-only until its first event; later ones resume exactly.
    } finally {
      clearTimeout(timer);
    }
  }

  /** @param {string | null} token */
  #socketUrl(token) {
    const url = new URL("ws/events", this.#base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    // encodeURIComponent writes '+' as %2B and '#' as %23, as the protocol asks.
    const query = ["topics=" + this.#topics.map(encodeURIComponent).join(",")];
    if (this.#sessionId) query.push("session=" + encodeURIComponent(this.#sessionId));
    if (this.#sessionId && this.#resumeToken) query.push("resume=" + encodeURIComponent(this.#resumeToken));
    if (this.#lastId != null) query.push("since=" + this.#lastId);
    if (token) query.push("access_token=" + encodeURIComponent(token));
    url.search = "?" + query.join("&");
    return url.href;
  }

  #deadTimeout() {
    return this.#welcomed && this.#heartbeat > 0 ? this.#heartbeat * 3000 : this.#connectTimeout;
  }

  /**
   * @param {number} ms
   * @param {WebSocket} ws
   * @param {string} reason
   */
  #arm(ms, ws, reason) {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => this.#drop(ws, { code: 0, reason, wasClean: false }), ms);
  }

  /**
   * @param {WebSocket} ws
   * @param {CloseEvent} event
   */
  #onClose(ws, event) {
    if (this.#ws !== ws) return;
    const welcomed = this.#welcomed;
    if (event.code === CLOSE_SESSION_TAKEN_OVER) {
      this.#drop(ws, event, false);
      this.#terminate("the session was resumed on another connection (close code 4002)");
      return;
    }
    if (event.code === CLOSE_INVALID_RESUME_TOKEN && !welcomed) {
      // The server forgot the session or refused its token: start a new session, still resuming from lastId.
      this.#resumeToken = null;
      this.#sessionId = this.#fixedSession;
    }
    this.#drop(ws, event);
  }

  /**
   * Forgets the socket, fails what waited on it and, unless told otherwise, schedules the next attempt.
   * @param {WebSocket} ws
   * @param {{code: number, reason: string, wasClean: boolean}} event
   */
  #drop(ws, event, reconnect = true) {
    if (this.#ws !== ws) return;
    clearTimeout(this.#watchdog);
    ws.onmessage = ws.onclose = ws.onerror = null;
    try { ws.close(); } catch { /* already closing */ }
    const wasConnected = this.#welcomed;
    this.#ws = null;
    this.#welcomed = false;
    this.#failPending();
    if (wasConnected) {
      this.#emit("disconnected", { code: event.code, reason: event.reason || "connection lost", wasClean: event.wasClean });
    }
    if (reconnect) this.#scheduleReconnect(event.reason || `connection closed (${event.code})`);
  }

  /** @param {string} reason */
  #scheduleReconnect(reason) {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    if (globalThis.navigator?.onLine === false) {
      this.#retryAt = null;
      this.#setState("offline", { reason: "the browser is offline" });
      return;
    }
    const { minDelay, maxDelay, factor, jitter } = this.#policy;
    const full = Math.min(maxDelay, minDelay * factor ** this.#attempt);
    const delay = Math.round(full * (1 - jitter * Math.random()));
    this.#attempt++;
    this.#retryAt = Date.now() + delay;
    this.#setState("reconnecting", { reason, delay });
    this.#retryTimer = setTimeout(() => void this.#open(), delay);
  }

  #online() {
    if (this.#state === "offline") this.reconnectNow();
  }

  #offline() {
    if (this.#state === "reconnecting" && !this.#ws) {
      clearTimeout(this.#retryTimer);
      this.#retryAt = null;
      this.#setState("offline", { reason: "the browser is offline" });
    }
  }

  /** @param {string} reason */
  #terminate(reason) {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#generation++;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#watchdog);
    this.#retryAt = null;
    globalThis.removeEventListener?.("online", this.#onOnline);
    globalThis.removeEventListener?.("offline", this.#onOffline);
    const ws = this.#ws;
    this.#ws = null;
    this.#welcomed = false;
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(CLIENT_CLOSING, "client closing"); } catch { /* already closed */ }
    }
    this.#failPending(true);
    this.#setState("closed", { reason });
    this.#connected?.reject(new HeraldError(`Herald: the client closed: ${reason}.`, "closed"));
  }

  /**
   * @param {ConnectionState} state
   * @param {{reason?: string, delay?: number}} extra
   */
  #setState(state, extra) {
    const previous = this.#state;
    this.#state = state;
    /** @type {StateChange} */
    const change = { state, previous, attempt: this.#attempt, retryAt: this.#retryAt, delay: extra.delay ?? null, reason: extra.reason ?? null };
    this.#emit("state", change);
  }

  // ---- frames ----

  /**
   * @param {WebSocket} ws
   * @param {unknown} text
   */
  #onFrame(ws, text) {
    let frame;
    try {
      frame = JSON.parse(String(text));
    } catch {
      this.#emit("error", { code: "invalid_frame", message: "The server sent a frame that is not JSON." });
      return;
    }
    if (frame === null || typeof frame !== "object" || typeof frame.type !== "string") return;
    switch (frame.type) {
      case "welcome": this.#onWelcome(ws, frame); break;
      case "event": this.#onEvent(frame.data); break;
      case "message": this.#emit("message", frame.data); break;
      case "ping": this.#send(ws, { type: "pong" }); break;
      case "resumed": this.#onResumed(frame); break;
      case "refresh": void this.#refreshToken(ws, frame); break;
      case "error": this.#onError(frame); break;
      default: this.#complete(frame); break; // pong, subscribed, unsubscribed, published, ack, and anything newer
    }
  }

  /**
   * @param {WebSocket} ws
   * @param {any} frame
   */
  #onWelcome(ws, frame) {
    this.#welcomed = true;
    this.#everConnected = true;
    this.#attempt = 0;
    this.#connectionId = frame.connectionId ?? null;
    this.#sessionId = frame.sessionId ?? this.#sessionId;
    this.#resumeToken = frame.resumeToken ?? this.#resumeToken;
    this.#heartbeat = Number(frame.heartbeat) || 0;
    this.#arm(this.#deadTimeout(), ws, "no frame from the server for three heartbeats");
    this.#setState("connected", {});
    this.#emit("welcome", { connectionId: this.#connectionId, sessionId: this.#sessionId, heartbeat: this.#heartbeat });
    this.#connected?.resolve();
    // Topics changed while this connection was opening: bring the server up to date.
    const added = this.#topics.filter((t) => !this.#connectTopics.includes(t));
    const removed = this.#connectTopics.filter((t) => !this.#topics.includes(t));
    if (added.length) this.#send(ws, { type: "subscribe", topics: added });
    if (removed.length) this.#send(ws, { type: "unsubscribe", topics: removed });
  }

  /** @param {any} data */
  #onEvent(data) {
    if (data === null || typeof data !== "object" || !Number.isSafeInteger(data.id)) return;
    if (this.#lastId != null && data.id <= this.#lastId) return; // already delivered
    this.#lastId = data.id;
    this.#emit("event", data);
  }

  /** @param {any} frame */
  #onResumed(frame) {
    const detail = { since: frame.since, lastId: frame.lastId, complete: frame.complete !== false };
    if (!detail.complete) {
      // Retention removed part of the range, or the server's store is behind this client: carry on from lastId.
      if (Number.isSafeInteger(frame.lastId)) this.#lastId = frame.lastId;
      this.#emit("incomplete", detail);
    }
    this.#emit("resumed", detail);
    this.#complete(frame);
  }

  /** @param {any} frame */
  #onError(frame) {
    const error = { code: String(frame.code ?? "error"), message: String(frame.message ?? "") };
    const pending = frame.ref != null ? this.#pending.get(String(frame.ref)) : undefined;
    if (pending) {
      this.#pending.delete(String(frame.ref));
      pending.reject(new HeraldError(error.message, error.code));
      return;
    }
    this.#emit("error", error);
  }

  /**
   * The server asks for a fresh token: `{"type":"refresh","expiresAt":"..."}` is answered with
   * `{"type":"auth","token":"..."}` once getToken gives one (it may take its time: the connection carries on
   * meanwhile, until the old token expires).
   * @param {WebSocket} ws
   * @param {any} frame
   */
  async #refreshToken(ws, frame) {
    if (!this.#getToken) {
      this.#emit("error", { code: "auth_unavailable", message: "The server asked for a fresh token, but no getToken was given." });
      return;
    }
    let token;
    try {
      token = await this.#getToken({ reason: "refresh", expiresAt: typeof frame.expiresAt === "string" ? frame.expiresAt : null });
    } catch (error) {
      this.#emit("error", { code: "auth_failed", message: `getToken() failed: ${error}` });
      return;
    }
    if (this.#ws !== ws || !token) return;
    /** @type {Record<string, unknown>} */
    const answer = { type: "auth", token };
    if (frame.ref != null) answer.ref = frame.ref;
    this.#send(ws, answer);
  }

  /** @param {any} frame */
  #complete(frame) {
    if (frame.ref == null) return;
    const pending = this.#pending.get(String(frame.ref));
    if (pending) {
      this.#pending.delete(String(frame.ref));
      pending.resolve(frame);
    }
  }

  /**
   * @param {WebSocket} ws
   * @param {unknown} frame
   */
  #send(ws, frame) {
    if (ws.readyState === 1) ws.send(JSON.stringify(frame));
  }

  /**
   * Sends a frame with a fresh `ref` and waits for the answer that echoes it.
   * @param {Record<string, unknown>} frame
   * @param {boolean} [completeOnDisconnect] resolve (instead of reject) when the connection drops first
   * @returns {Promise<any>}
   */
  #request(frame, completeOnDisconnect = false) {
    const ws = this.#ws;
    if (!ws || !this.#welcomed || ws.readyState !== 1) {
      return Promise.reject(new HeraldError("Herald: not connected to the server.", "not_connected"));
    }
    const ref = `r${this.#nextRef++}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(ref, { resolve, reject, completeOnDisconnect });
      ws.send(JSON.stringify({ ...frame, ref }));
    });
  }

  /**
   * @param {Record<string, unknown>} frame
   * @param {boolean} completeOnDisconnect
   */
  #requestIfConnected(frame, completeOnDisconnect) {
    return this.#ws && this.#welcomed ? this.#request(frame, completeOnDisconnect) : Promise.resolve();
  }

  #failPending(closing = false) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      if (p.completeOnDisconnect && !closing) p.resolve(undefined);
      else p.reject(new HeraldError("Herald: the connection was lost before the server answered.", "connection_lost"));
    }
  }

  /**
   * @param {string} type
   * @param {unknown} detail
   */
  #emit(type, detail) {
    const set = this.#listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(detail);
      } catch (error) {
        report(error);
      }
    }
  }
}
