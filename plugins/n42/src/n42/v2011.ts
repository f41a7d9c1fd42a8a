import type { ObservationDraft } from '@customs-hub/sdk';
import { childrenOf, type XmlElement } from '../xml/tree.js';
import { mapAnalysis } from './analysis2011.js';
import type { MappedDocument } from './document.js';
import { NS_2011 as NS } from './document.js';
import { instrumentEvent, readDefinitions } from './info2011.js';
import { noteTimeQuality } from './date-time.js';
import { mapMeasurement } from './measurement2011.js';
import { readAttachments } from './multimedia.js';
import type { ReadOptions } from './read-options.js';

/** Maps a RadInstrumentData (N42.42-2011/2012) document to observation drafts, in document order. */
export function map2011(root: XmlElement, limits: ReadOptions, warnings: string[]): MappedDocument {
  const defs = readDefinitions(root);
  const drafts: ObservationDraft[] = [];
  const setup = instrumentEvent(root, defs);
  if (setup) drafts.push(setup);
  const measurements = childrenOf(root, 'RadMeasurement', NS).map((m) => mapMeasurement(m, defs, limits, warnings));
  // The setup event is dated like the document's first measurement, so replays and inspects stay stable.
  const first = measurements.find((m) => m.start)?.start;
  if (setup && first) {
    setup.deviceTime = first.iso;
    noteTimeQuality(setup, first);
  }
  const measured = measurements.flatMap((m) => m.drafts);
  drafts.push(...measured);
  for (const a of childrenOf(root, 'AnalysisResults', NS)) drafts.push(...mapAnalysis(a, measurements, measured, limits.timeZone));
  if (defs.containers.length || defs.itemId) {
    for (const d of drafts) {
      d.conveyance = { containers: defs.containers.slice(0, 10) };
      if (defs.itemId) d.conveyance.itemId = defs.itemId.slice(0, 100);
    }
  }
  const doc: MappedDocument = { edition: '2011', drafts, attachments: readAttachments(root, warnings), warnings };
  const uuid = root.attrs['n42DocUUID']?.trim();
  if (uuid) doc.uuid = uuid;
  return doc;
}
