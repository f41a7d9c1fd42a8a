import type { GroupCommitWriter } from '../storage/group-commit-writer.js';

export class OutboxFullError extends Error {
  readonly code = 'OUTBOX_FULL';
  constructor() {
    super('broker backlog is full (outbox.buffer.whenFull: stop-accepting); observation refused, keep it and retry later');
  }
}

/**
 * The stop-accepting policy: while `accepting()` is false, new observations are refused with
 * OutboxFullError (drivers keep them in their spool and retry); device status events still pass, so the
 * console keeps seeing the devices. Returns the undo.
 */
export function guardWriter(writer: GroupCommitWriter, accepting: () => boolean): () => void {
  return writer.addAdmissionCheck((item) => (item.type === 'observation' && !accepting() ? new OutboxFullError() : null));
}
