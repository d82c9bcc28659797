// The event feed: newest first, expandable rows, pause without losing events, type filter and search.

import { formatTime, h } from "./format.js";
import { summarize } from "./summary.js";

/**
 * @typedef {import("../herald.js").HeraldEvent} HeraldEvent
 * @typedef {{event: HeraldEvent, row: HTMLLIElement, summary: string, text?: string}} Entry
 */

export class Feed {
  /** @type {Map<number, Entry>} */ #entries = new Map();
  /** @type {HeraldEvent[]} */ #pending = [];
  #pendingOverflow = false;
  #paused = false;
  #type = "";
  #search = "";
  /** @type {Set<string>} */ #types = new Set();

  /**
   * @param {{list: HTMLElement, scroller?: HTMLElement, maxRows?: number, maxPending?: number, onChange?: () => void, onTypes?: (types: string[]) => void}} options
   */
  constructor(options) {
    this.list = options.list;
    this.scroller = options.scroller ?? null;
    this.maxRows = options.maxRows ?? 2000;
    this.maxPending = options.maxPending ?? 5000;
    this.onChange = options.onChange ?? (() => {});
    this.onTypes = options.onTypes ?? (() => {});
  }

  /** Events shown or held. */
  get size() { return this.#entries.size; }

  /** Rows that pass the type filter and the search. */
  get visible() {
    let n = 0;
    for (const entry of this.#entries.values()) if (!entry.row.hidden) n++;
    return n;
  }

  /** Events that arrived while paused, not yet shown. */
  get pending() { return this.#pending.length; }

  /** True when more arrived while paused than the feed holds: resuming reloads instead. */
  get pendingOverflow() { return this.#pendingOverflow; }

  get paused() { return this.#paused; }

  /** The lowest id loaded, or null when empty. */
  get oldest() {
    const last = /** @type {HTMLElement | null} */ (this.list.lastElementChild);
    return last ? Number(last.dataset.id) : null;
  }

  /** The highest id loaded (shown or pending), or null when empty. */
  get newest() {
    if (this.#pending.length) return this.#pending[this.#pending.length - 1].id;
    const first = /** @type {HTMLElement | null} */ (this.list.firstElementChild);
    return first ? Number(first.dataset.id) : null;
  }

  /** Whether the feed holds an event with this id. */
  has(/** @type {number} */ id) { return this.#entries.has(id) || this.#pending.some((e) => e.id === id); }

  reset() {
    this.#entries.clear();
    this.#pending = [];
    this.#pendingOverflow = false;
    this.list.replaceChildren();
    this.onChange();
  }

  /**
   * A live event (newest). Held back while paused.
   * @param {HeraldEvent} event
   */
  addLive(event) {
    if (this.#entries.has(event.id)) return;
    if (this.#paused) {
      if (this.#pending.length >= this.maxPending) {
        this.#pending.shift();
        this.#pendingOverflow = true;
      }
      this.#pending.push(event);
      this.onChange();
      return;
    }
    this.#insert(event, true);
    this.#trim();
    this.onChange();
  }

  /**
   * Older events from the history API, in id order.
   * @param {HeraldEvent[]} events
   */
  addOlder(events) {
    for (let i = events.length - 1; i >= 0; i--) {
      if (!this.#entries.has(events[i].id)) this.#insert(events[i], false);
    }
    this.onChange();
  }

  /** @param {boolean} paused */
  setPaused(paused) {
    if (paused === this.#paused) return;
    this.#paused = paused;
    if (!paused) {
      const held = this.#pending;
      this.#pending = [];
      this.#pendingOverflow = false;
      for (const event of held) {
        if (!this.#entries.has(event.id)) this.#insert(event, true);
      }
      this.#trim();
    }
    this.onChange();
  }

  /** @param {string} type an event type, or "" for all */
  setType(type) {
    this.#type = type;
    this.#applyAll();
  }

  /** @param {string} text case-insensitive text to find in topic, type, summary or payload */
  setSearch(text) {
    this.#search = text.trim().toLowerCase();
    this.#applyAll();
  }

  /**
   * @param {HeraldEvent} event
   * @param {boolean} live
   */
  #insert(event, live) {
    const summary = summarize(event);
    const pre = h("pre", { class: "json", tabindex: "0", "aria-label": `Event ${event.id} as JSON` });
    const details = h("details", {}, [
      h("summary", {}, [
        h("time", { datetime: event.time, title: event.time }, [formatTime(event.time)]),
        h("span", { class: "topic", title: event.topic }, [event.topic]),
        h("span", { class: "type", title: event.type }, [event.type]),
        h("span", { class: "sum", title: summary }, [summary]),
        h("span", { class: "id" }, [`#${event.id}`]),
      ]),
      pre,
    ]);
    // The JSON is written when first opened, so thousands of rows cost little.
    details.addEventListener("toggle", () => {
      if (/** @type {HTMLDetailsElement} */ (details).open && !pre.textContent) pre.textContent = JSON.stringify(event, null, 2);
    });
    const row = /** @type {HTMLLIElement} */ (h("li", {
      class: live ? "ev new" : "ev",
      "data-id": String(event.id),
      "data-topic": event.topic,
      "data-type": event.type,
    }, [details]));
    if (live) row.addEventListener("animationend", () => row.classList.remove("new"), { once: true });

    const entry = { event, row, summary };
    this.#entries.set(event.id, entry);
    this.#apply(entry);
    this.#place(row, event.id, live);
    if (!this.#types.has(event.type)) {
      this.#types.add(event.type);
      this.onTypes([...this.#types].sort());
    }
  }

  /**
   * Keeps rows in descending id order: live events go on top, older ones below, anything else in place.
   * @param {HTMLLIElement} row
   * @param {number} id
   * @param {boolean} live
   */
  #place(row, id, live) {
    const first = /** @type {HTMLElement | null} */ (this.list.firstElementChild);
    const last = /** @type {HTMLElement | null} */ (this.list.lastElementChild);
    if (!first || (live && id > Number(first.dataset.id))) { this.list.prepend(row); return; }
    if (!last || id < Number(last.dataset.id)) { this.list.append(row); return; }
    for (const other of /** @type {HTMLCollectionOf<HTMLElement>} */ (this.list.children)) {
      if (Number(other.dataset.id) < id) { other.before(row); return; }
    }
    this.list.append(row);
  }

  /** Drops the oldest rows beyond maxRows while the reader is at the top; scrolling back loads them again. */
  #trim() {
    if (this.#entries.size <= this.maxRows || !this.#atTop()) return;
    while (this.#entries.size > this.maxRows) {
      const last = /** @type {HTMLElement | null} */ (this.list.lastElementChild);
      if (!last) break;
      this.#entries.delete(Number(last.dataset.id));
      last.remove();
    }
  }

  #atTop() {
    const own = this.scroller;
    const scroller = own && own.scrollHeight > own.clientHeight + 1 ? own : document.scrollingElement;
    return !scroller || scroller.scrollTop < 80;
  }

  #applyAll() {
    for (const entry of this.#entries.values()) this.#apply(entry);
    this.onChange();
  }

  /** @param {Entry} entry */
  #apply(entry) {
    const { event } = entry;
    let show = this.#type === "" || event.type === this.#type;
    if (show && this.#search) {
      entry.text ??= `${event.id} ${event.topic} ${event.type} ${entry.summary} ${event.source ?? ""} ${JSON.stringify(event.data)}`.toLowerCase();
      show = entry.text.includes(this.#search);
    }
    entry.row.hidden = !show;
  }
}
