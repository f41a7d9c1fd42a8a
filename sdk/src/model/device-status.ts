export type DeviceState = 'starting' | 'online' | 'degraded' | 'offline' | 'faulted' | 'stopped';
export type AdminState = 'enabled' | 'maintenance' | 'disabled';

/** The state of one device as the hub sees it. */
export interface DeviceStatus {
  schema: 'device-status/v1';
  deviceId: string;
  checkpoint: string;
  lane: string | null;
  plugin: string;
  state: DeviceState;
  adminState: AdminState;
  since: string;
  lastSeen: string | null;
  lastGoodReading: string | null;
  consecutiveFailures: number;
  lastError: { message: string; code?: string; at: string } | null;
  restarts: number;
  reason?: string;
  counters?: Record<string, number>;
  updatedAt: string;
}
