import { AttributeIds, NodeClass, type ClientSession, type NodeId } from 'node-opcua';
import type { ScanFields } from './address-space.js';
import { browseChildren } from './browse.js';
import { readDeviceTime } from '@customs-hub/sdk';
import { asString, date, plain } from './values.js';

/** A scan listed in the scanner's history folder, before it is read in full. */
export interface HistoryEntry {
  node: NodeId;
  scanId: string;
  startedAt?: Date;
}

/**
 * Lists the scans in the history folder, oldest first: one browse of the folder, one of its scan
 * objects, one read of their ids and start times. Entries without a readable id are reported, not hidden.
 */
export async function listHistory(
  session: ClientSession,
  history: NodeId,
  fields: ScanFields,
  timeZone = 'UTC',
): Promise<{ entries: HistoryEntry[]; unreadable: string[] }> {
  const [folder] = await browseChildren(session, [history]);
  const scans = [...folder!.values()].filter((c) => c.nodeClass === NodeClass.Object).map((c) => c.nodeId);
  const children = await browseChildren(session, scans);
  const reads = children.flatMap((c) => [c.get(fields.scanId)?.nodeId, c.get(fields.startTime)?.nodeId]);
  const present = reads.map((n, i) => ({ n, i })).filter((x): x is { n: NodeId; i: number } => x.n !== undefined);
  const values = present.length ? await session.read(present.map(({ n }) => ({ nodeId: n, attributeId: AttributeIds.Value }))) : [];
  const byIndex = new Map(present.map(({ i }, k) => [i, values[k]]));
  const entries: HistoryEntry[] = [];
  const unreadable: string[] = [];
  scans.forEach((node, i) => {
    const scanId = asString(byIndex.get(2 * i));
    if (!scanId) {
      unreadable.push(node.toString());
      return;
    }
    const entry: HistoryEntry = { node, scanId };
    const startedAt = startTime(plain(byIndex.get(2 * i + 1)), timeZone);
    if (startedAt) entry.startedAt = startedAt;
    entries.push(entry);
  });
  entries.sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
  return { entries, unreadable };
}

/** A start time as the scan decoder reads it (a DateTime, or an ISO string), or undefined. */
function startTime(v: unknown, timeZone: string): Date | undefined {
  if (typeof v !== 'string') return date(v);
  try {
    return new Date(readDeviceTime(v, timeZone).iso);
  } catch {
    return undefined;
  }
}
