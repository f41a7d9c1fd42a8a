import type { ObservationDraft, RawRef } from '@customs-hub/sdk';

/**
 * The observation for a file that could not be ingested: the hub's feed shows what arrived and why
 * it was refused, and the raw store keeps the bytes. Re-dropping the same bytes is a duplicate.
 */
export function rejectionEvent(name: string, reason: string, raw: RawRef): ObservationDraft<'device.event'> {
  return {
    kind: 'device.event',
    sourceId: `rejected:${raw.sha256}`,
    payload: { event: 'other', code: 'FILE_REJECTED', message: `${name}: ${reason}`.slice(0, 1000), values: { file: name, size: raw.size } },
    quality: { status: 'bad', reasons: [reason.slice(0, 200)] },
    raw: [raw],
  };
}
