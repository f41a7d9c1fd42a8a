import type { HubConfig } from '../config/types.js';
import type { DeviceManager } from '../devices/device-manager.js';
import type { Database } from '../storage/database.js';
import type { FeedReader } from '../storage/feed-reader.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import type { BearerOptions } from '../auth/bearer-scheme.js';

/** What the API routes need from the hub. */
export interface ApiDeps {
  config: HubConfig;
  /** The config after reloads, when it can change. */
  currentConfig?: () => HubConfig;
  db: Database;
  writer: GroupCommitWriter;
  feed: FeedReader;
  devices: DeviceManager;
  logger: Logger;
  /** Console sessions and failed-sign-in reporting for the auth scheme. */
  auth?: BearerOptions;
}
