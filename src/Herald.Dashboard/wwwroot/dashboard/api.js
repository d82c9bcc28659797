// Herald's REST API, relative to where the dashboard is served (so it works under a path prefix too).

/** An HTTP answer that is not a success, with the problem-details text the server gave. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status
   */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** The server's base URL: the dashboard's own location. */
export const base = new URL(".", document.baseURI);

const TOKEN_KEY = "herald.token";

/**
 * The user's token on a server with authentication on. It arrives in the page's fragment (`#token=...`: a fragment
 * is never sent to the server, so it is never in a request log), is kept for this tab only, and is removed from the
 * address bar at once.
 * @returns {string | null}
 */
export function token() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    try { sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1])); } catch { /* private mode: this load only */ }
    history.replaceState(null, "", location.pathname + location.search);
    return decodeURIComponent(match[1]);
  }
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

const pageToken = token();

/**
 * @param {string} path relative, such as "api/metrics"
 * @param {RequestInit & {timeout?: number}} [init]
 * @returns {Promise<any>}
 */
export async function request(path, init = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), init.timeout ?? 10000);
  let response;
  try {
    const headers = new Headers(init.headers);
    const current = pageToken ?? token();
    if (current) headers.set("Authorization", `Bearer ${current}`);
    response = await fetch(new URL(path, base), { cache: "no-store", ...init, headers, signal: abort.signal });
  } catch (error) {
    throw new ApiError(abort.signal.aborted ? "The server did not answer in time." : "The server cannot be reached.", 0);
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  let body = null;
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (!response.ok) {
    const detail = body && (body.detail || body.title);
    const error = new ApiError(detail || `HTTP ${response.status}`, response.status);
    // Health answers 503 with a useful body.
    /** @type {any} */ (error).body = body;
    throw error;
  }
  return body;
}

/** @param {string} path */
export const get = (path) => request(path);

/**
 * @param {string} path
 * @param {unknown} body
 */
export const post = (path, body) => request(path, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

/** @param {string} path */
export const del = (path) => request(path, { method: "DELETE" });
