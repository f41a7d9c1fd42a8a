/** What a link reports: connection up, connection lost (with why), and errors that did not fail a request. */
export interface LinkEventMap {
  connected: undefined;
  disconnected: Error;
  error: Error;
}

export type LinkEventName = keyof LinkEventMap;

/**
 * Typed listeners for link status. Unlike an EventEmitter, an 'error' with no listener is not thrown:
 * a link's errors are also reported through the requests that fail.
 */
export class LinkEvents {
  private readonly listeners = new Map<LinkEventName, Set<(value: never) => void>>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends LinkEventName>(event: E, listener: (value: LinkEventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (value: never) => void);
    return () => {
      set.delete(listener as (value: never) => void);
    };
  }

  protected emitEvent<E extends LinkEventName>(event: E, value: LinkEventMap[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (v: LinkEventMap[E]) => void)(value);
      } catch {
        // a listener's bug must not break the link's state machine
      }
    }
  }
}
