import { DEFAULT_LIMITS, type ParseLimits } from '../xml/limits.js';

/** How a device's documents are read: the parse limits, and what the device's clock means. */
export interface ReadOptions extends ParseLimits {
  /** IANA time zone of the device's clock, for date-times written without a UTC offset (default UTC). */
  timeZone: string;
}

export const DEFAULT_READ_OPTIONS: ReadOptions = { ...DEFAULT_LIMITS, timeZone: 'UTC' };
