import type { Alarm, DeviceEventPayload, ObservationDraft } from '@customs-hub/sdk';

/** A device.event draft: something the portal reports about itself. */
export function deviceEvent(
  at: Date,
  event: DeviceEventPayload['event'],
  code: string,
  message: string,
  values: Record<string, number | string | boolean> = {},
  alarms: Alarm[] = [],
): ObservationDraft<'device.event'> {
  const payload: DeviceEventPayload = { event, code, message };
  if (Object.keys(values).length > 0) payload.values = values;
  return { kind: 'device.event', deviceTime: at, payload, alarms };
}
