// The dashboard user's access token, on a server with authentication on. It arrives in the page's fragment
// (`#token=...`: a fragment is never sent to the server, so it is never in a request log), is kept for this tab
// only (sessionStorage), and is removed from the address bar at once. A token does not renew itself: when the
// server asks for a fresh one, or the one held expired or was refused, the dashboard asks its user for another
// and waits, rather than sending the same token again.

const KEY = "herald.token";

/**
 * A token counts as expired this long before its expiry, so that no request carrying it reaches the server after it
 * (the server refuses it from that instant on, and a request takes a moment to arrive). The server's word (close code
 * 4004, a 401) counts too, for a browser whose clock is behind the server's.
 */
const MARGIN_MS = 2000;

/**
 * Why the page needs a token from its user: `expiring` (the server asked for a fresh one), `expired`, `refused`
 * (the server does not accept it), `missing` (the server needs one and the page has none); `valid` otherwise.
 * @typedef {"valid" | "expiring" | "expired" | "refused" | "missing"} TokenState
 * @typedef {{state: TokenState, expiresAt: number | null, waiting: boolean}} TokenStatus
 * @typedef {import("../herald.d.ts").TokenRequest} TokenRequest
 */

function fromPage() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    const value = decodeURIComponent(match[1]);
    try { sessionStorage.setItem(KEY, value); } catch { /* private mode: this load only */ }
    history.replaceState(null, "", location.pathname + location.search);
    return value;
  }
  try { return sessionStorage.getItem(KEY); } catch { return null; }
}

export class AccessToken {
  /** @type {string | null} */ #value = fromPage();
  /** @type {number | null} when #value expires (ms since the epoch), once the server said */ #expiresAt = null;
  /** @type {string | null} the token last handed to the live client */ #given = null;
  /** @type {TokenState} */ #state = "valid";
  #required = false;
  /** @type {Array<(token: string) => void>} */ #waiting = [];
  /** @type {Set<(status: TokenStatus) => void>} */ #listeners = new Set();

  /** The token to send, or null when there is none or it is known to be useless (expired, refused). */
  get current() {
    return this.#value && !this.expired && this.#state !== "refused" ? this.#value : null;
  }

  /** Why requests go without a token the server needs (the page has none it would accept), or null. */
  get unusable() {
    if (this.#value && this.expired) return "Your access token has expired.";
    if (this.#state === "refused") return "The server does not accept your access token.";
    if (this.#state === "missing") return "This server needs an access token.";
    return null;
  }

  /** Whether the held token has expired, or is about to (see MARGIN_MS). */
  get expired() {
    return this.#expiresAt !== null && Date.now() >= this.#expiresAt - MARGIN_MS;
  }

  /** When the held token counts as expired (ms since the epoch), or null when it does not expire or nobody said. */
  get stopsAt() {
    return this.#expiresAt === null ? null : this.#expiresAt - MARGIN_MS;
  }

  /** @returns {TokenStatus} */
  get status() {
    const state = (this.#state === "valid" || this.#state === "expiring") && this.#value && this.expired ? "expired" : this.#state;
    return { state, expiresAt: this.#expiresAt, waiting: this.#waiting.length > 0 };
  }

  /**
   * What `GET /api/me` said about the held token.
   * @param {{authRequired?: boolean, authenticated?: boolean, expiresAt?: string | null} | null} me
   */
  learn(me) {
    this.#required = me?.authRequired === true;
    if (this.#required && !me?.authenticated) {
      this.#state = this.#value ? "refused" : "missing";
    }
    this.#setExpiry(me?.expiresAt);
    this.#emit();
  }

  /** @param {(status: TokenStatus) => void} listener */
  onChange(listener) {
    this.#listeners.add(listener);
  }

  /**
   * herald.js's getToken. A connection gets the token held while it is usable; a refresh gets a token newer than the
   * one the connection holds. Otherwise both wait for the user to give one (a connection being refreshed carries on
   * meanwhile, until its token expires).
   * @param {TokenRequest} [request]
   * @returns {Promise<string | null>}
   */
  async forClient(request) {
    if (request?.reason === "refresh") {
      if (this.#value === this.#given) {
        this.#setExpiry(request.expiresAt);
        return this.#wait("expiring");
      }
      return this.#hand();
    }
    if (!this.#value) return this.#required ? this.#wait("missing") : null;
    if (this.expired) return this.#wait("expired");
    if (this.#state === "refused") return this.#wait("refused");
    return this.#hand();
  }

  /**
   * Takes a token the server accepted (`GET /api/me` with it), keeps it for the tab and hands it to whatever waits.
   * @param {string} value
   * @param {string | null | undefined} expiresAt
   */
  replace(value, expiresAt) {
    this.#value = value;
    this.#state = "valid";
    try { sessionStorage.setItem(KEY, value); } catch { /* private mode: this page only */ }
    this.#setExpiry(expiresAt);
    const waiting = this.#waiting.splice(0);
    if (waiting.length > 0) this.#given = value;
    for (const resolve of waiting) resolve(value);
    this.#emit();
  }

  /**
   * The server refused the held token: it closed the connection at its expiry (4004), or answered a request that
   * carried it with 401.
   * @param {boolean} expired whether the server said it expired
   */
  refusedByServer(expired) {
    if (!this.#value || this.#state === "refused") return;
    if (expired) {
      if (!this.expired) this.#expiresAt = Date.now();
    } else {
      this.#state = "refused";
    }
    this.#emit();
  }

  /**
   * Keeps a token for the tab without handing it out: the page reloads with it (another user's token, say).
   * @param {string} value
   */
  keep(value) {
    try { sessionStorage.setItem(KEY, value); } catch { /* private mode: lost on reload */ }
  }

  #hand() {
    this.#given = this.#value;
    return this.#value;
  }

  /** @param {string | null | undefined} iso */
  #setExpiry(iso) {
    const time = iso ? Date.parse(iso) : NaN;
    this.#expiresAt = Number.isFinite(time) ? time : null;
  }

  /**
   * @param {TokenState} state
   * @returns {Promise<string>}
   */
  #wait(state) {
    this.#state = state;
    const promise = new Promise((resolve) => this.#waiting.push(resolve));
    this.#emit();
    return /** @type {Promise<string>} */ (promise);
  }

  #emit() {
    const status = this.status;
    for (const listener of this.#listeners) listener(status);
  }
}

/** The page's token, shared by the REST calls and the live feed. */
export const access = new AccessToken();
