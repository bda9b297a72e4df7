// The people in the room as the page shows them: a list entry and a video tile per remote participant.
// Names are only ever set through textContent, so they are never interpreted as HTML.

export class Roster {
  #people = new Map();

  constructor({ list, tiles, count }) {
    this.list = list;
    this.tiles = tiles;
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
   * Marks the tile the speaker view shows large: the active speaker, else the one featured before (the last
   * speaker), else the first remote tile.
   */
  feature() {
    const tiles = [...this.#people.values()].map((p) => p.tile);
    const current = tiles.find((t) => t.dataset.featured === 'true');
    const chosen = tiles.find((t) => t.dataset.speaking === 'true') ?? current ?? tiles[0];
    for (const tile of tiles) {
      tile.dataset.featured = String(tile === chosen);
    }
  }

  get size() {
    return this.#people.size;
  }

  has(id) {
    return this.#people.has(id);
  }

  add({ id, name, state }) {
    if (this.#people.has(id)) {
      return this.#people.get(id);
    }
    const item = document.createElement('li');
    item.dataset.participantId = id;
    item.textContent = name;

    const tile = document.createElement('figure');
    tile.className = 'tile remote';
    tile.dataset.participantId = id;
    tile.dataset.participant = id;
    tile.dataset.name = name;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
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
    caption.append(label, audioMuted, videoMuted, hand);
    tile.append(video, caption);

    this.list.append(item);
    this.tiles.append(tile);
    const person = { id, name, item, tile, video };
    this.#people.set(id, person);
    this.setState(id, state);
    this.#counted();
    return person;
  }

  /** Shows a participant's state (docs/protocol.md, participantState) on its tile as data attributes. */
  setState(id, state) {
    const person = this.#people.get(id);
    if (!person) {
      return;
    }
    person.state = { audioMuted: false, videoMuted: false, handRaised: false, speaking: false, connection: 'good',
      ...state };
    person.tile.dataset.audioMuted = String(person.state.audioMuted);
    person.tile.dataset.videoMuted = String(person.state.videoMuted);
    person.tile.dataset.handRaised = String(person.state.handRaised);
    person.tile.dataset.speaking = String(person.state.speaking);
    this.feature();
  }

  /** Shows a remote track in its participant's tile (one MediaStream per participant). */
  attach(id, track) {
    const person = this.#people.get(id);
    if (!person) {
      return;
    }
    if (!person.stream) {
      person.stream = new MediaStream();
      person.video.srcObject = person.stream;
    }
    person.stream.addTrack(track);
    track.addEventListener('ended', () => person.stream.removeTrack(track));
  }

  remove(id) {
    const person = this.#people.get(id);
    if (!person) {
      return;
    }
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
