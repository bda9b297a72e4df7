// The people in the room as the page shows them: a list entry and a video tile per remote participant.
// Names are only ever set through textContent, so they are never interpreted as HTML.

export class Roster {
  #people = new Map();

  constructor({ list, tiles }) {
    this.list = list;
    this.tiles = tiles;
  }

  get size() {
    return this.#people.size;
  }

  has(id) {
    return this.#people.has(id);
  }

  add({ id, name }) {
    if (this.#people.has(id)) {
      return this.#people.get(id);
    }
    const item = document.createElement('li');
    item.dataset.participantId = id;
    item.textContent = name;

    const tile = document.createElement('figure');
    tile.className = 'tile remote';
    tile.dataset.participantId = id;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    caption.append(label);
    tile.append(video, caption);

    this.list.append(item);
    this.tiles.append(tile);
    const person = { id, name, item, tile, video };
    this.#people.set(id, person);
    return person;
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
