import { v7 } from 'uuid';

/** Time-ordered ids (UUIDv7): sortable by creation, unique across hubs. */
export function newId(): string {
  return v7();
}
