import { readDeviceTime, RejectedInputError, type DeviceTime, type ObservationDraft } from '@customs-hub/sdk';
import type { XmlElement } from '../xml/tree.js';
import { at } from './values.js';

export { isTimeZone, type DeviceTime } from '@customs-hub/sdk';

/**
 * Reads a device's xs:dateTime in the forms real instruments write (the SDK's readDeviceTime: basic-format
 * offsets, fractional seconds of any length, no offset → the configured zone); a refusal names the element.
 */
export function dateTime(text: string, el: XmlElement, timeZone: string): DeviceTime {
  try {
    return readDeviceTime(text, timeZone);
  } catch (err) {
    if (err instanceof RejectedInputError) throw new RejectedInputError(`${at(el)}: ${err.reason}`, { cause: err });
    throw err;
  }
}

/**
 * Notes a device time's repairs on a draft: a time whose zone was assumed makes the observation
 * uncertain; a purely syntactic repair (an offset without its colon) keeps its status and is listed.
 */
export function noteTimeQuality(draft: Partial<ObservationDraft>, time: DeviceTime | undefined): void {
  if (!time || time.repairs.length === 0) return;
  const reasons = [...(draft.quality?.reasons ?? []), ...time.repairs].slice(0, 20);
  const status = time.zoneAssumed ? (draft.quality?.status === 'bad' ? 'bad' : 'uncertain') : (draft.quality?.status ?? 'good');
  draft.quality = { status, reasons };
}
