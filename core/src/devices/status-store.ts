import type { DeviceStatus } from '@customs-hub/sdk';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { newId } from '../pipeline/ids.js';
import type { Logger } from '../util/logger.js';

export const DEVICE_STATUS_EVENT = 'customs.device.status.v1';

/** Persists device status changes and puts each on the feed. */
export class DeviceStatusStore {
  constructor(
    private readonly db: Database,
    private readonly writer: GroupCommitWriter,
    private readonly checkpoint: string,
    private readonly logger: Logger,
  ) {}

  publish(status: DeviceStatus): void {
    this.writer
      .write({
        type: 'event',
        event: { id: newId(), type: DEVICE_STATUS_EVENT, subject: status.deviceId, time: status.updatedAt, data: status },
        deviceStatus: status,
      })
      .catch((err: Error) => this.logger.debug({ device: status.deviceId, err: err.message }, 'device status not stored'));
  }

  async load(): Promise<Map<string, DeviceStatus>> {
    const rows = await this.db.knex('device_status').where({ checkpoint: this.checkpoint });
    return new Map(rows.map((r) => [r.device_id as string, JSON.parse(r.body) as DeviceStatus]));
  }
}
