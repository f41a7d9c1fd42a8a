import type { EmitReceipt, ObservationDraft } from '@customs-hub/sdk';

export type StatusReport = 'ok' | 'degraded' | 'failure' | 'fault';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** How a driver runner reaches the hub: directly (in-process) or through a worker's message port. */
export interface HubPort {
  emit(deviceId: string, draft: ObservationDraft): Promise<EmitReceipt>;
  status(deviceId: string, report: StatusReport, detail: string, code?: string): void;
  log(deviceId: string, level: LogLevel, bindings: Record<string, unknown>, msg: string): void;
}
