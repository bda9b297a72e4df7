// Tells the server how this page shows each remote participant (docs/protocol.md, "viewport"), so it sends
// only what can be seen: no video for a tile that is off screen or a page in the background, and no layer
// taller than the tile. Sent when something changed, at most a few times a second.

const SEND_DELAY_MS = 250;

export class ViewportReporter {
  #send;
  #tiles = new Map(); // participantId -> { element, visible, height }
  #intersections;
  #sizes;
  #timer = null;
  #last = '';

  /** @param container the element holding the remote tiles (`.tile.remote[data-participant-id]`) */
  constructor(container, send) {
    this.#send = send;
    this.#intersections = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const tile = this.#tiles.get(entry.target.dataset.participantId);
        if (tile) {
          tile.visible = entry.isIntersecting;
        }
      }
      this.#changed();
    }, {
      // A tile just outside the window still counts as shown: when videos get their sizes the grid reflows, and a
      // tile pushed below the fold for a moment must not lose its video (and with it the size that would bring
      // it back). Tiles not rendered at all (display: none, a background page) still get none.
      rootMargin: '100%',
    });
    this.#sizes = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const tile = this.#tiles.get(entry.target.dataset.participantId);
        if (tile) {
          tile.height = Math.round(entry.contentRect.height * (window.devicePixelRatio || 1));
        }
      }
      this.#changed();
    });
    new MutationObserver(() => this.#scan(container)).observe(container, { childList: true });
    document.addEventListener('visibilitychange', () => this.#changed());
    this.#scan(container);
  }

  #scan(container) {
    const present = new Set();
    for (const element of container.querySelectorAll('.tile.remote[data-participant-id]')) {
      const id = element.dataset.participantId;
      present.add(id);
      if (!this.#tiles.has(id)) {
        this.#tiles.set(id, { element, visible: true, height: 0 });
        this.#intersections.observe(element);
        this.#sizes.observe(element);
      }
    }
    for (const [id, tile] of this.#tiles) {
      if (!present.has(id)) {
        this.#intersections.unobserve(tile.element);
        this.#sizes.unobserve(tile.element);
        this.#tiles.delete(id);
      }
    }
    this.#changed();
  }

  #changed() {
    if (this.#timer === null) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.report();
      }, SEND_DELAY_MS);
    }
  }

  /** The last viewport message sent, as JSON text (for tests and the console). */
  get lastSent() {
    return this.#last;
  }

  /** Sends the current viewport even if unchanged (a resumed or new participant's server forgot it). */
  resend() {
    this.#last = '';
    this.report();
  }

  /** Sends the current viewport if it differs from the last one sent. */
  report() {
    const hidden = document.visibilityState === 'hidden';
    const tiles = {};
    for (const [id, tile] of this.#tiles) {
      tiles[id] = { visible: tile.visible && !hidden, height: tile.height };
    }
    const text = JSON.stringify(tiles);
    if (text !== this.#last && this.#send({ type: 'viewport', tiles })) {
      this.#last = text;
    }
  }
}
