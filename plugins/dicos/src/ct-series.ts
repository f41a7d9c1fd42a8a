import type { RawRef } from '@customs-hub/sdk';
import { text } from './dataset.js';
import type { DicosFile } from './dicos-file.js';
import { TAG } from './tags.js';

/** One slice of a CT series, written as a file of its own: what is kept of it until the series closes. */
export interface CtSlice {
  name: string;
  sopInstanceUid: string;
  raw: RawRef;
  instanceNumber?: number;
  /** Position along the scan axis: the third value of Image Position (0020,0032). */
  z?: number;
}

/** A series being collected: its slices so far and when the last one arrived. */
export interface PendingSeries {
  seriesInstanceUid: string;
  slices: CtSlice[];
  /** Files of the series that repeat a slice already held (the same SOP Instance UID). */
  repeats: string[];
  lastAt: number;
}

/** The series a file is a slice of: a single-frame CT object with a Series Instance UID; else undefined. */
export function ctSeriesOf(file: DicosFile): string | undefined {
  if (file.kind !== 'ct') return undefined;
  const frames = Number(text(file.dataSet, TAG.numberOfFrames) ?? 1);
  if (Number.isFinite(frames) && frames > 1) return undefined;
  return text(file.dataSet, TAG.seriesInstanceUid);
}

/** What is kept of a slice: names, UIDs and ordering, never its data set (a series can be hundreds of files). */
export function ctSlice(file: DicosFile, raw: RawRef): CtSlice {
  const slice: CtSlice = { name: file.name, sopInstanceUid: file.sopInstanceUid, raw };
  const n = Number(text(file.dataSet, TAG.instanceNumber));
  if (text(file.dataSet, TAG.instanceNumber) !== undefined && Number.isFinite(n)) slice.instanceNumber = n;
  const z = Number(file.dataSet.string(TAG.imagePosition)?.split('\\')[2]);
  if (file.dataSet.string(TAG.imagePosition) !== undefined && Number.isFinite(z)) slice.z = z;
  return slice;
}

/**
 * Slices in scan order: by position along the axis when every slice has one, else by instance number
 * when every slice has one, else by file name.
 */
export function inScanOrder(slices: CtSlice[]): CtSlice[] {
  const byName = (a: CtSlice, b: CtSlice) => a.name.localeCompare(b.name);
  if (slices.every((s) => s.z !== undefined)) return [...slices].sort((a, b) => a.z! - b.z! || byName(a, b));
  if (slices.every((s) => s.instanceNumber !== undefined)) return [...slices].sort((a, b) => a.instanceNumber! - b.instanceNumber! || byName(a, b));
  return [...slices].sort(byName);
}

/**
 * Collects the slices of CT series arriving file by file; a series closes once no slice came for
 * quietMs. Holds names and references only: the files stay in the hot folder until their scan is stored.
 */
export class SeriesCollector {
  private readonly open = new Map<string, PendingSeries>();
  private readonly names = new Set<string>();

  constructor(private readonly quietMs: number) {}

  /** Is this file held in an open series (leave it in the folder, do not read it again)? */
  holds(name: string): boolean {
    return this.names.has(name);
  }

  add(seriesInstanceUid: string, slice: CtSlice, now: number): void {
    let series = this.open.get(seriesInstanceUid);
    if (!series) {
      series = { seriesInstanceUid, slices: [], repeats: [], lastAt: now };
      this.open.set(seriesInstanceUid, series);
    }
    if (series.slices.some((s) => s.sopInstanceUid === slice.sopInstanceUid)) series.repeats.push(slice.name);
    else series.slices.push(slice);
    series.lastAt = now;
    this.names.add(slice.name);
  }

  /** Series quiet for quietMs, oldest first; they stay held until `close` (a failed emit is tried again). */
  due(now: number): PendingSeries[] {
    return [...this.open.values()].filter((s) => now - s.lastAt >= this.quietMs).sort((a, b) => a.lastAt - b.lastAt);
  }

  /** Forgets a series whose files have left the folder. */
  close(series: PendingSeries): void {
    this.open.delete(series.seriesInstanceUid);
    for (const s of series.slices) this.names.delete(s.name);
    for (const n of series.repeats) this.names.delete(n);
  }
}
