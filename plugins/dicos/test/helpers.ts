import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation, ObservationDraft } from '@customs-hub/sdk';
import { checkedObservation } from '@customs-hub/sdk/testing';

/** The public DICOS samples the plugin ships (samples/README.md gives source and licence); tests read only the repository. */
export const SHARED_SAMPLES = join(__dirname, '..', '..', 'samples');

export function sampleBytes(name: string): Buffer {
  return readFileSync(join(SHARED_SAMPLES, name));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `dicos-${prefix}-`));
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * An independent look at the bytes, for checking the plugin's reading: the value of the first
 * explicit-VR element with a 2-byte length matching (group, element, VR). Enough for tests on known files.
 */
export function rawElement(file: Buffer, group: number, element: number, vr: string, from = 132): Buffer {
  const needle = Buffer.alloc(6);
  needle.writeUInt16LE(group, 0);
  needle.writeUInt16LE(element, 2);
  needle.write(vr, 4, 'latin1');
  const at = file.indexOf(needle, from);
  if (at < 0) throw new Error(`element (${group.toString(16)},${element.toString(16)}) ${vr} not in file`);
  const len = file.readUInt16LE(at + 6);
  return file.subarray(at + 8, at + 8 + len);
}

/** A string element as the file holds it, padding removed. */
export function rawString(file: Buffer, group: number, element: number, vr: string, from = 132): string {
  return rawElement(file, group, element, vr, from)
    .toString('latin1')
    .replace(/[\0 ]+$/, '');
}

/** The offset of an element's tag in the file (first match after the preamble). */
export function tagOffset(file: Buffer, group: number, element: number): number {
  const needle = Buffer.alloc(4);
  needle.writeUInt16LE(group, 0);
  needle.writeUInt16LE(element, 2);
  const at = file.indexOf(needle, 132);
  if (at < 0) throw new Error('tag not found');
  return at;
}

/** Completes a draft as the hub would and validates it against the data model; throws with the reason. */
export function validated(draft: ObservationDraft): Observation {
  return checkedObservation(draft, { lane: 'P1', deviceId: 'bag-1', plugin: { name: 'dicos', version: '1.0.0' } });
}
