/**
 * The extension that marks telemetry about the driver's own link (counters, reconnects) rather than a reading
 * of the device: `extensions: { linkTelemetry: true }`. The hub stores it like any telemetry but does not take it
 * as a sign that the device answers, so an unreachable device stays offline while its driver reports.
 */
export const LINK_TELEMETRY = 'linkTelemetry';

export function isLinkTelemetry(draft: { kind: string; extensions?: Record<string, unknown> }): boolean {
  return draft.kind === 'telemetry' && draft.extensions?.[LINK_TELEMETRY] === true;
}
