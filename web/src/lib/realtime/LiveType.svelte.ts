import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';

/**
 * Any Yjs type (map, array, with nested types) read through `read()`: components that read
 * `value` re-render on every change anywhere inside it. Engine-internal: the Yjs type stays here.
 */
export class LiveType<T> {
  readonly #subscribe: () => void;
  readonly #read: () => T;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type
  constructor(type: Y.AbstractType<any>, read: () => T) {
    this.#read = read;
    this.#subscribe = createSubscriber((update) => {
      const onChange = () => update();
      type.observeDeep(onChange);
      return () => type.unobserveDeep(onChange);
    });
  }

  get value(): T {
    this.#subscribe();
    return this.#read();
  }
}
