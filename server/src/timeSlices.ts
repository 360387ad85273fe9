/**
 * Background work over many items (rooms to fold, boards to sweep), a few ms at a time: each slice
 * runs `work` until its time is up, then yields to the I/O that waited (setImmediate) and goes on.
 * Items added while it runs join the same pass. In one callback, 1,000 rooms folding or boards
 * turning idle together blocked every relay for 25–120 ms (bench, issue 13).
 */
export class SlicedQueue<T> {
  private items: T[] = [];
  private next = 0;
  private running = false;

  constructor(
    private readonly work: (item: T) => void,
    private readonly sliceMs = 2
  ) {}

  /** Still working through earlier items. */
  get busy(): boolean {
    return this.running;
  }

  push(items: Iterable<T>): void {
    for (const item of items) this.items.push(item);
    if (this.running || this.next >= this.items.length) return;
    this.running = true;
    this.slice();
  }

  private readonly slice = (): void => {
    const until = performance.now() + this.sliceMs;
    try {
      while (this.next < this.items.length && performance.now() < until) this.work(this.items[this.next++]!);
    } finally {
      // An item whose work threw is skipped, never the rest of the queue.
      if (this.next < this.items.length) setImmediate(this.slice);
      else {
        this.items = [];
        this.next = 0;
        this.running = false;
      }
    }
  };
}
