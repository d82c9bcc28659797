// Herald's REST API, relative to where the dashboard is served (so it works under a path prefix too).

import { access } from "./access.js";

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

/**
 * @param {string} path relative, such as "api/metrics"
 * @param {RequestInit & {timeout?: number, token?: string, open?: boolean}} [init] `token` instead of the page's;
 * `open` for an endpoint that answers without a token (health)
 * @returns {Promise<any>}
 */
export async function request(path, init = {}) {
  const bearer = init.token ?? access.current;
  const unusable = bearer || init.open ? null : access.unusable;
  if (unusable) {
    // The server would only refuse it: the page waits for its user to give a token.
    throw new ApiError(unusable, 401);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), init.timeout ?? 10000);
  let response;
  try {
    const headers = new Headers(init.headers);
    if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
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
  if (response.status === 401 && bearer && bearer === access.current) {
    // The server no longer takes the page's token: stop sending it and ask the user for another.
    access.refusedByServer(false);
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
