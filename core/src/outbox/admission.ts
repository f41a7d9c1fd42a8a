import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { WriteItem, WriteResult } from '../storage/records.js';

export class OutboxFullError extends Error {
  readonly code = 'OUTBOX_FULL';
  constructor() { super('broker backlog is full (outbox.buffer.whenFull: stop-accepting); observation refused, keep it and retry later'); }
}

/**
 * The stop-accepting policy: while `accepting()` is false, new observations are refused with
 * OutboxFullError (drivers keep them in their spool and retry); device status events still pass, so the
 * console keeps seeing the devices. Wraps this writer instance only; returns the undo.
 */
export function guardWriter(writer: GroupCommitWriter, accepting: () => boolean): () => void {
  const original = writer.write;
  writer.write = (item: WriteItem): Promise<WriteResult> =>
    item.type === 'observation' && !accepting() ? Promise.reject(new OutboxFullError()) : original.call(writer, item);
  return () => { writer.write = original; };
}
