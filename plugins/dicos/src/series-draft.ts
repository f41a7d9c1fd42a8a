import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger, ObservationDraft, RawRef, StoreRaw } from '@customs-hub/sdk';
import { inScanOrder, type PendingSeries } from './ct-series.js';
import type { DicosFile } from './dicos-file.js';
import { draftFor } from './drafts.js';

/** An observation names at most 100 raw files (the data model's bound). */
const MAX_RAW = 100;
/** Slice UIDs listed in the observation; the manifest lists every slice. */
const MAX_LISTED_UIDS = 2000;

/** The slice whose preview stands for the series, and where it is in scan order. */
export function middleSlice(series: PendingSeries): { index: number; name: string } {
  const ordered = inScanOrder(series.slices);
  const index = Math.floor((ordered.length - 1) / 2);
  return { index, name: ordered[index]!.name };
}

/**
 * One xray.scan for a CT series that arrived as one file per slice: scanId is the Series Instance UID,
 * the preview is the middle slice's, and the slices are stored raw in scan order with a manifest (JSON)
 * listing every one. `middle` is the middle slice's file, read again for its preview.
 */
export async function seriesScanDraft(
  series: PendingSeries,
  middle: DicosFile,
  middlePath: string,
  ctx: { storeRaw: StoreRaw; logger: Logger },
): Promise<ObservationDraft<'xray.scan'>> {
  const ordered = inScanOrder(series.slices);
  const { index } = middleSlice(series);
  const mid = ordered[index]!;
  const draft = (await draftFor(middle, mid.raw, middlePath, ctx)) as ObservationDraft<'xray.scan'>;
  const uids = ordered.map((s) => s.sopInstanceUid);
  // The same set of slices is the same scan (re-ingesting it is absorbed); a late part of a series is a new one.
  const digest = createHash('sha256')
    .update([...uids].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  draft.sourceId = `${series.seriesInstanceUid}:${digest}`.slice(0, 200);
  draft.payload.scanId = series.seriesInstanceUid;

  const manifest = ordered.map((s) => ({
    name: s.name,
    sopInstanceUid: s.sopInstanceUid,
    sha256: s.raw.sha256,
    size: s.raw.size,
    ...(s.z !== undefined ? { z: s.z } : {}),
    ...(s.instanceNumber !== undefined ? { instanceNumber: s.instanceNumber } : {}),
  }));
  const manifestRef: RawRef = await ctx.storeRaw(
    Readable.from([Buffer.from(JSON.stringify({ seriesInstanceUid: series.seriesInstanceUid, slices: manifest }, null, 1))]),
    {
      name: `${series.seriesInstanceUid.slice(0, 180)}.series.json`,
      contentType: 'application/json',
      role: 'series-manifest',
    },
  );
  // The middle slice and its preview first (what the console shows), the manifest, then the other slices in order.
  const others = ordered.filter((s) => s !== mid).map((s) => s.raw);
  const head = [...draft.raw!, manifestRef];
  const room = Math.max(0, MAX_RAW - head.length);
  draft.raw = [...head, ...others.slice(0, room)];
  if (others.length > room) {
    const note = `${others.length - room} of ${ordered.length} slices are named by the series manifest only (an observation references at most ${MAX_RAW} raw files)`;
    draft.quality = { status: draft.quality?.status ?? 'good', reasons: [...(draft.quality?.reasons ?? []), note] };
  }
  const dicos = (draft.extensions as { dicos: Record<string, unknown> }).dicos;
  dicos['frames'] = ordered.length;
  dicos['slices'] = ordered.length;
  dicos['previewSlice'] = index;
  dicos['sliceInstanceUids'] = uids.slice(0, MAX_LISTED_UIDS);
  if (series.repeats.length) dicos['repeatedFiles'] = series.repeats.length;
  return draft;
}
