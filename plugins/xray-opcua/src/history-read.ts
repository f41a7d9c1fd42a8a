import { StatusCodes, TimestampsToReturn, type ClientSession, type DataValue, type HistoryData, type NodeId } from 'node-opcua';

/** One value of the scanner's historized LastScan (a scan NodeId or a scan record), with its source time. */
export interface HistoryValue {
  value: unknown;
  sourceTime: Date;
}

const PAGE = 100;
const MAX_PAGES = 1000;
// The end of the range: the scanner's clock may run ahead of the hub's, so no "now".
const END = new Date('9999-12-31T00:00:00Z');

/** OPC UA HistoryRead (raw values) refused by the server: not historizing, unsupported, or access denied. */
export class HistoryReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryReadError';
  }
}

/**
 * Reads the raw history of one variable from `from` (inclusive) on, oldest first, page by page
 * (continuation points). Values without a source time get their server time.
 */
export async function readHistory(session: ClientSession, node: NodeId, from: Date): Promise<HistoryValue[]> {
  const out: HistoryValue[] = [];
  let continuationPoint: Buffer | null | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await session.readHistoryValue({ nodeId: node, ...(continuationPoint ? { continuationPoint } : {}) }, from, END, {
      numValuesPerNode: PAGE,
      returnBounds: false,
      timestampsToReturn: TimestampsToReturn.Both,
    });
    const status = result.statusCode;
    if (!status.isGood() && !status.equals(StatusCodes.GoodNoData)) {
      throw new HistoryReadError(`HistoryRead of ${node.toString()} failed: ${status.toString()}`);
    }
    const values: DataValue[] = (result.historyData as HistoryData | null)?.dataValues ?? [];
    for (const dv of values) {
      if (!dv.statusCode.isGood()) continue;
      const t = dv.sourceTimestamp ?? dv.serverTimestamp;
      if (!t) continue;
      out.push({ value: dv.value?.value ?? undefined, sourceTime: t });
    }
    continuationPoint = result.continuationPoint;
    if (!continuationPoint || continuationPoint.length === 0) return out;
  }
  throw new HistoryReadError(`HistoryRead of ${node.toString()} did not end after ${MAX_PAGES} pages of ${PAGE} values`);
}
