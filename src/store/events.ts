// A tiny listener registry: modules subscribe to store changes (sync, rollback, ui) without the
// store knowing them. A failing listener is reported and never stops the others or the write.

/** @noSelf */
export interface Emitter<T> {
  /** Subscribes; returns an id for off. */
  on: (listener: (event: T) => void) => number;
  off: (id: number) => void;
  emit: (event: T) => void;
}

/** @noSelf */
interface Listener<T> {
  id: number;
  fn: (event: T) => void;
}

export function createEmitter<T>(onError: (message: string) => void): Emitter<T> {
  let listeners: Listener<T>[] = [];
  let nextId = 1;
  return {
    on: (fn) => {
      const id = nextId;
      nextId++;
      listeners.push({ id, fn });
      return id;
    },
    off: (id) => {
      listeners = listeners.filter((l) => l.id !== id);
    },
    emit: (event) => {
      // A listener that subscribes or unsubscribes during emit changes the next emit, not this one.
      const current = listeners;
      for (const l of current) {
        try {
          l.fn(event);
        } catch (err) {
          onError("listener failed: " + String(err));
        }
      }
    },
  };
}
