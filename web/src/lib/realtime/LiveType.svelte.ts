import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';

/**
 * Any Yjs type (map, array, with nested types) read through `read()`: components that read
 * `value` re-render on every change anywhere inside it.
 */
export class LiveType<T> {
  private readonly subscribe: () => void;

  constructor(
    readonly type: Y.AbstractType<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any Yjs type
    private readonly read: () => T
  ) {
    this.subscribe = createSubscriber((update) => {
      const onChange = () => update();
      type.observeDeep(onChange);
      return () => type.unobserveDeep(onChange);
    });
  }

  get value(): T {
    this.subscribe();
    return this.read();
  }
}
