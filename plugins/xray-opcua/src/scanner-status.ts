import type { DeviceEventPayload, ObservationDraft, StatusReporter } from '@customs-hub/sdk';

/** The scanner's own status words, as the documented address space defines them. */
const WORKING = new Set(['Ready', 'Scanning']);

/**
 * Tracks the scanner's Status variable: reports it to the hub's status machine and turns changes into
 * device.event observations when it enters or leaves a state other than Ready/Scanning.
 */
export class ScannerStatus {
  private status: string | null = null;
  private message = '';

  constructor(private readonly reporter: StatusReporter) {}

  setMessage(message: string): void {
    this.message = message;
  }

  /** Records a new status value; returns the device event to emit, if any. */
  update(status: string, at: Date): ObservationDraft<'device.event'> | null {
    const previous = this.status;
    if (status === previous) return null;
    this.status = status;
    if (WORKING.has(status)) this.reporter.ok(`scanner ${status}`);
    else this.reporter.degraded(`scanner reports ${status}${this.message ? `: ${this.message}` : ''}`);
    // Ready <-> Scanning happens with every scan; only changes into or out of trouble are events.
    if (WORKING.has(status) && (previous === null || WORKING.has(previous))) return null;
    let event: DeviceEventPayload['event'] = 'other';
    if (status === 'Fault') event = 'fault';
    else if (previous === 'Fault') event = 'fault-cleared';
    const payload: DeviceEventPayload = { event, code: status.slice(0, 50), values: { status, previous: previous ?? '' } };
    if (this.message) payload.message = this.message.slice(0, 1000);
    return { kind: 'device.event', deviceTime: at, payload };
  }
}
