// The grid of remote camera tiles: as many columns as make the tiles largest in the space the window gives,
// and pages when they would get smaller than MIN_TILE_WIDTH. Tiles of other pages are hidden, so the viewport
// reporter (js/viewport.js) tells the server they are not shown and it sends no video for them (audio goes on).
// Screen shares are not paged: they are always shown, above the grid (#screens). The speaker view is a strip, not paged.

/** Below this width (CSS px) a camera tile is too small to be worth showing: the grid gets another page instead. */
export const MIN_TILE_WIDTH = 160;
/** The grid's gap between tiles (CSS px), as in app.css. */
export const GAP = 12;
/** Kept free below the grid for the page controls, shown or not, so that showing them changes no page. */
const PAGER_HEIGHT = 48;
/** Height over width of a camera tile, as in app.css. */
const ASPECT = 3 / 4;

/**
 * The column count that makes {@code count} tiles largest in a width x height box, and that tile width: each
 * candidate column count is limited by the width or by the rows' height, whichever binds.
 */
export function bestFit(count, width, height, gap = GAP) {
  let best = { columns: 1, tileWidth: 0 };
  for (let columns = 1; columns <= Math.max(1, count); columns += 1) {
    const rows = Math.ceil(Math.max(1, count) / columns);
    const byWidth = (width - (columns - 1) * gap) / columns;
    const byHeight = (height - (rows - 1) * gap) / rows / ASPECT;
    const tileWidth = Math.min(byWidth, byHeight);
    if (tileWidth > best.tileWidth) {
      best = { columns, tileWidth };
    }
  }
  return best;
}

/** How many tiles one page holds in a width x height box: the most that stay at least MIN_TILE_WIDTH wide. */
export function pageSize(width, height, gap = GAP) {
  let size = 1;
  while (size < 49 && bestFit(size + 1, width, height, gap).tileWidth >= MIN_TILE_WIDTH) {
    size += 1;
  }
  return size;
}

export class Gallery {
  #tiles;
  #pager;
  #info;
  #page = 0;
  #scheduled = false;

  /**
   * @param tiles the tiles' container (#tiles)
   * @param pager the page controls (#pager, with #page-prev, #page-next and #page-info)
   */
  constructor(tiles, pager) {
    this.#tiles = tiles;
    this.#pager = pager;
    this.#info = pager.querySelector('#page-info');
    pager.querySelector('#page-prev').addEventListener('click', () => this.show(this.#page - 1));
    pager.querySelector('#page-next').addEventListener('click', () => this.show(this.#page + 1));
    new MutationObserver(() => this.#schedule()).observe(tiles, { childList: true });
    // A screen share above the grid takes height from it.
    new ResizeObserver(() => this.#schedule()).observe(document.getElementById('screens') ?? tiles);
    window.addEventListener('resize', () => this.#schedule());
    this.#schedule();
  }

  /** The page shown (0-based) and how many there are, for tests and the console. */
  get state() {
    return { page: this.#page, pages: this.#pages().length };
  }

  /** Shows page {@code page} (clamped to the pages there are). */
  show(page) {
    this.#page = page;
    this.layout();
  }

  #schedule() {
    if (!this.#scheduled) {
      this.#scheduled = true;
      requestAnimationFrame(() => {
        this.#scheduled = false;
        this.layout();
      });
    }
  }

  #cameras() {
    return [...this.#tiles.querySelectorAll('.tile.remote')];
  }

  /**
   * The box the grid may fill: the tiles' width, the window's height below their top (screen shares sit above
   * them) less room for the page controls; at least one minimal row, so a short window still gets a page.
   */
  #box() {
    const top = this.#tiles.getBoundingClientRect().top + window.scrollY;
    const height = window.innerHeight - top - PAGER_HEIGHT - 2 * GAP;
    return { width: this.#tiles.clientWidth, height: Math.max(height, MIN_TILE_WIDTH * ASPECT) };
  }

  #pages() {
    const cameras = this.#cameras();
    if (this.#tiles.dataset.layout === 'speaker') {
      return [cameras];
    }
    const { width, height } = this.#box();
    const size = pageSize(width, height);
    const pages = [];
    for (let i = 0; i < cameras.length; i += size) {
      pages.push(cameras.slice(i, i + size));
    }
    return pages.length > 0 ? pages : [[]];
  }

  /** Puts the camera tiles on pages, shows the current one, and sizes its columns to the space. */
  layout() {
    const pages = this.#pages();
    this.#page = Math.min(Math.max(0, this.#page), pages.length - 1);
    const shown = new Set(pages[this.#page]);
    for (const tile of this.#cameras()) {
      tile.hidden = !shown.has(tile);
    }
    if (this.#tiles.dataset.layout === 'speaker') {
      this.#tiles.style.gridTemplateColumns = '';
    } else {
      const { width, height } = this.#box();
      const { columns, tileWidth } = bestFit(shown.size, width, height);
      this.#tiles.style.gridTemplateColumns = `repeat(${columns}, minmax(0, ${Math.floor(tileWidth)}px))`;
    }
    this.#pager.hidden = pages.length < 2;
    this.#info.textContent = `Page ${this.#page + 1} of ${pages.length}`;
    this.#pager.querySelector('#page-prev').disabled = this.#page === 0;
    this.#pager.querySelector('#page-next').disabled = this.#page === pages.length - 1;
  }
}
