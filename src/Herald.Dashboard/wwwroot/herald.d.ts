// Types of Herald's browser client (herald.js), protocol v1. See docs/browser-client.md.

/** The protocol version the client speaks. */
export const PROTOCOL_VERSION: 1;

/** An event as Herald stores and sends it. */
export interface HeraldEvent {
  /** Assigned by Herald: strictly increasing, never reused. */
  id: number;
  topic: string;
  type: string;
  /** When it happened, ISO 8601 UTC. */
  time: string;
  /** Who produced it; absent when unknown. */
  source?: string;
  /** The producer's JSON payload, unchanged. */
  data: unknown;
}

/**
 * `idle` before connect(); `connecting` during the first attempt; `connected` once welcomed; `reconnecting`
 * while waiting for (retryAt set) or making a further attempt; `offline` while the browser reports no network
 * (it reconnects when the network is back); `closed` after close() or when the session was taken over.
 */
export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "offline" | "closed";

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** Failed attempts in a row before this change. */
  attempt: number;
  /** When the next attempt starts (ms since the epoch), while one is scheduled; else null. */
  retryAt: number | null;
  /** The back-off delay in ms, while an attempt is scheduled; else null. */
  delay: number | null;
  /** Why, when the change is a loss or a close. */
  reason: string | null;
}

export interface ResumeInfo {
  /** The id the replay started after. */
  since: number;
  /** The id the subscription is caught up to. */
  lastId: number;
  /** False when part of the range is gone (retention) or the server's store is behind the client. */
  complete: boolean;
}

export interface HeraldClientEvents {
  /** Every event once, in id order. */
  event: HeraldEvent;
  /** A direct message to this session (`POST /api/sessions/{id}/messages`). */
  message: unknown;
  state: StateChange;
  welcome: { connectionId: string | null; sessionId: string | null; heartbeat: number };
  /** A replay caught up; live from here. */
  resumed: ResumeInfo;
  /** A resume could not replay everything (`complete:false`): reload your state, then carry on. */
  incomplete: ResumeInfo;
  /** A connection that had been welcomed was lost; the client reconnects on its own. */
  disconnected: { code: number; reason: string; wasClean: boolean };
  /** A server `error` frame that answers no request, or a client-side problem. */
  error: { code: string; message: string };
}

export interface ReconnectOptions {
  /** First delay in ms before jitter (default 1000). */
  minDelay?: number;
  /** Largest delay in ms (default 30000). */
  maxDelay?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Fraction of each delay taken off at random, 0-1 (default 0.5: a delay lies in [d/2, d]). */
  jitter?: number;
}

/** Why getToken is asked. */
export interface TokenRequest {
  /** `connect`: for a new connection (or the client's HTTP request before it); `refresh`: the server asked. */
  reason: "connect" | "refresh";
  /** For a refresh: when the token the connection holds expires (ISO 8601), as the server said; else null. */
  expiresAt: string | null;
}

export interface HeraldClientOptions {
  /** The server, as http(s) or ws(s) URL (default: the server that served herald.js). */
  url?: string | URL;
  /** Topic patterns (default ["#"], everything). `+` matches one segment, `#` the rest. */
  topics?: string[];
  /**
   * Replay stored events after this id on the first connection. Default: the store's newest id from
   * `GET /api/health` (live from now, and exact from then on); see `resolveStart`.
   */
  since?: number;
  /** Read the start position from `/api/health` when `since` is not given (default true). */
  resolveStart?: boolean;
  /** A session id to choose or join (default: the server picks one). */
  session?: string;
  /** The session's resume token from an earlier client (see HeraldClient.resumeToken). */
  resumeToken?: string;
  /**
   * Returns an access token, called before each connection (`reason: "connect"`; sent as the `access_token`
   * query parameter, and as `Authorization: Bearer` on the client's HTTP requests) and when the server sends
   * `{"type":"refresh"}` (`reason: "refresh"`; answered with `{"type":"auth","token":"..."}`). For a refresh,
   * return a token that lasts longer than `expiresAt`: the server asks once, and the same token again changes
   * nothing. The promise may wait (for a user to sign in again, say); the connection carries on meanwhile,
   * until the old token expires. No token (null) sends no answer.
   */
  getToken?: (request: TokenRequest) => string | null | undefined | Promise<string | null | undefined>;
  reconnect?: ReconnectOptions;
  /** How long an attempt may take until the welcome, in ms (default 10000). After it, a connection that
   * receives no frame for three heartbeats is treated as lost. */
  connectTimeout?: number;
  /** A WebSocket constructor (default: the browser's). */
  WebSocket?: typeof WebSocket;
  /** A fetch function (default: the browser's). */
  fetch?: typeof fetch;
  onEvent?: (event: HeraldEvent) => void;
  onMessage?: (data: unknown) => void;
  onState?: (change: StateChange) => void;
  onWelcome?: (welcome: HeraldClientEvents["welcome"]) => void;
  onResumed?: (info: ResumeInfo) => void;
  onIncomplete?: (info: ResumeInfo) => void;
  onDisconnected?: (info: HeraldClientEvents["disconnected"]) => void;
  onError?: (error: HeraldClientEvents["error"]) => void;
}

export interface NewEvent {
  topic: string;
  type: string;
  data?: unknown;
  /** ISO 8601; Herald's clock when omitted. */
  time?: string;
  source?: string;
}

export class HeraldError extends Error {
  /** The server's error code (`forbidden`, `bad_request`, ...) or `connection_lost`, `not_connected`, `closed`. */
  readonly code: string;
  constructor(message: string, code: string);
}

export class HeraldClient {
  constructor(options?: HeraldClientOptions);
  readonly state: ConnectionState;
  /** The id of the last event delivered (the next connection's `since`), or null before any. */
  readonly lastId: number | null;
  readonly sessionId: string | null;
  readonly resumeToken: string | null;
  readonly connectionId: string | null;
  readonly topics: string[];
  /** When the next reconnect attempt starts (ms since the epoch), or null. */
  readonly retryAt: number | null;
  /** The server's HTTP base URL, ending in `/`. */
  readonly url: string;
  on<K extends keyof HeraldClientEvents>(type: K, listener: (detail: HeraldClientEvents[K]) => void): () => void;
  off<K extends keyof HeraldClientEvents>(type: K, listener: (detail: HeraldClientEvents[K]) => void): void;
  /** Starts connecting; resolves at the first welcome, rejects if the client closes first. */
  connect(): Promise<void>;
  /** Closes for good. */
  close(): void;
  /** Skips the remaining back-off delay. */
  reconnectNow(): void;
  subscribe(topics: string | string[]): Promise<void>;
  /** At least one pattern must remain. */
  unsubscribe(topics: string | string[]): Promise<void>;
  /** Needs `Herald:AllowClientPublish=true` on the server. */
  publish(events: NewEvent | NewEvent[]): Promise<{ id: number; ids: number[] }>;
  sendMessage(data: unknown): Promise<void>;
}
