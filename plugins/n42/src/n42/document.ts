import type { ObservationDraft } from '@customs-hub/sdk';
import type { Attachment } from './multimedia.js';

/** N42 namespaces. 2012 revisions kept the 2011 namespace. */
export const NS_2011 = 'http://physics.nist.gov/N42/2011/N42';
export const NS_2006 = 'http://physics.nist.gov/Divisions/Div846/Gp4/ANSIN4242/2005/ANSIN4242';
export const NS_DNDO = 'http://www.DNDO.gov/N42Schema/2006/DNDOSchema';

/** What one N42 document maps to, before the reader adds idempotency keys and raw references. */
export interface MappedDocument {
  edition: '2006' | '2011';
  /** n42DocUUID (2011) or the first Measurement UUID (2006), when the writer gave one. */
  uuid?: string;
  drafts: ObservationDraft[];
  /** Embedded MultimediaData objects, kept as raw evidence on every observation of the document. */
  attachments: Attachment[];
  warnings: string[];
}
