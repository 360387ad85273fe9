/**
 * Freezes a value and everything inside it. Rule tests freeze the state they pass in, so a
 * reducer that mutates instead of returning a new state throws at once.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
