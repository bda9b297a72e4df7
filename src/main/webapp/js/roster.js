// The people in the room as the page shows them: a list entry and a video tile per remote participant.
// Names are only ever set through textContent, so they are never interpreted as HTML.

export class Roster {
  #people = new Map();

  constructor({ list, tiles, screens, count }) {
    this.list = list;
    this.tiles = tiles;
    this.screens = screens;
    this.count = count;
  }

  /** The count next to the list: everyone in the room, oneself included. */
  #counted() {
    if (this.count) {
      this.count.textContent = String(this.#people.size + 1);
    }
    this.feature();
  }

  /**
   * Marks the tile the speaker view shows large: a screen share, else the active speaker, else the one featured
   * before (the last speaker), else the first remote tile.
   */
  feature() {
    const people = [...this.#people.values()];
    const tiles = people.map((p) => p.tile);
    const screens = people.map((p) => p.screen).filter(Boolean);
    const current = tiles.find((t) => t.dataset.featured === 'true');
    const chosen = screens[0] ?? tiles.find((t) => t.dataset.speaking === 'true') ?? current ?? tiles[0];
    for (const tile of [...tiles, ...screens]) {
      tile.dataset.featured = String(tile === chosen);
    }
  }

  get size() {
    return this.#people.size;
  }

  has(id) {
    return this.#people.has(id);
  }

  /** The ids of the remote participants shown. */
  ids() {
    return [...this.#people.keys()];
  }

  add({ id, name, state }) {
    if (this.#people.has(id)) {
      return this.#people.get(id);
    }
    const item = document.createElement('li');
    item.dataset.participantId = id;
    item.textContent = name;

    const { tile, video, caption } = Roster.#tile(id, name, name);
    // Only the camera tile carries data-participant-id: it is the one the viewport reports (js/viewport.js).
    tile.dataset.participantId = id;
    const audioMuted = document.createElement('span');
    audioMuted.className = 'muted audio';
    audioMuted.textContent = '🔇';
    audioMuted.title = 'microphone off';
    const videoMuted = document.createElement('span');
    videoMuted.className = 'muted video';
    videoMuted.textContent = '📷✕';
    videoMuted.title = 'camera off';
    const hand = document.createElement('span');
    hand.className = 'hand';
    hand.textContent = '✋';
    hand.title = 'hand raised';
    caption.append(audioMuted, videoMuted, hand);

    this.list.append(item);
    this.tiles.append(tile);
    const person = { id, name, item, tile, video };
    this.#people.set(id, person);
    this.setState(id, state);
    this.#counted();
    return person;
  }

  /** A tile: a video and a caption with the name, as text; the caller adds the rest. */
  static #tile(id, name, label) {
    const tile = document.createElement('figure');
    tile.className = 'tile remote';
    tile.dataset.participant = id;
    tile.dataset.name = name;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    const text = document.createElement('span');
    text.className = 'name';
    text.textContent = label;
    caption.append(text);
    tile.append(video, caption);
    return { tile, video, caption };
  }

  /** Shows a participant's state (docs/protocol.md, participantState) on its tiles as data attributes. */
  setState(id, state) {
    const person = this.#people.get(id);
    if (!person) {
      return;
    }
    person.state = { audioMuted: false, videoMuted: false, handRaised: false, speaking: false, screen: false,
      connection: 'good', ...state };
    for (const tile of [person.tile, person.screen].filter(Boolean)) {
      tile.dataset.audioMuted = String(person.state.audioMuted);
      tile.dataset.handRaised = String(person.state.handRaised);
      tile.dataset.speaking = String(person.state.speaking);
    }
    // The camera's tile says whether its owner shares a screen; the screen's own tile is always a screen, and a
    // camera turned off does not hide it.
    person.tile.dataset.videoMuted = String(person.state.videoMuted);
    person.tile.dataset.screen = String(person.state.screen);
    if (person.screen) {
      person.screen.dataset.videoMuted = 'false';
      person.screen.dataset.screen = 'true';
    }
    this.feature();
  }

  /**
   * Shows a remote track: a camera or microphone in its participant's tile (one MediaStream per participant), a
   * screen share in a tile of its own, "<name> (screen)", that the layouts show large.
   */
  attach(id, track, source) {
    const person = this.#people.get(id);
    if (!person) {
      return;
    }
    if (source === 'screen') {
      this.#attachScreen(person, track);
      return;
    }
    // A new stream each time: a video element does not take up a track added to the stream it plays (after a
    // participant's new media session replaced its tracks), and without a sink the browser decodes nothing.
    person.stream = new MediaStream([...(person.stream?.getTracks() ?? []), track]);
    person.video.srcObject = person.stream;
    track.addEventListener('ended', () => person.stream?.removeTrack(track));
  }

  #attachScreen(person, track) {
    if (!person.screen) {
      const { tile, video } = Roster.#tile(person.id, person.name, `${person.name} (screen)`);
      tile.classList.add('screen');
      person.screen = tile;
      person.screenVideo = video;
      this.screens.append(tile);
    }
    person.screenVideo.srcObject = new MediaStream([track]);
    this.setState(person.id, person.state);
  }

  /** A remote track ended here (unsubscribed): it leaves its participant's tile. */
  detach(id, track) {
    this.#people.get(id)?.stream?.removeTrack(track);
  }

  /** The page's media session was replaced: no remote track of before plays any more. */
  dropMedia() {
    for (const person of this.#people.values()) {
      person.stream = null;
      person.video.srcObject = null;
      this.removeScreen(person.id);
    }
  }

  /** The participant stopped sharing its screen (its track was removed): the screen's tile goes. */
  removeScreen(id) {
    const person = this.#people.get(id);
    if (!person?.screen) {
      return;
    }
    person.screen.remove();
    person.screen = null;
    person.screenVideo = null;
    this.feature();
  }

  remove(id) {
    const person = this.#people.get(id);
    if (!person) {
      return;
    }
    this.removeScreen(id);
    person.item.remove();
    person.tile.remove();
    this.#people.delete(id);
    this.#counted();
  }

  clear() {
    for (const id of [...this.#people.keys()]) {
      this.remove(id);
    }
  }

  get(id) {
    return this.#people.get(id);
  }
}
