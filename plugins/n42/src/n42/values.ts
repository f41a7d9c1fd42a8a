import { quoteValue, RejectedInputError } from '@customs-hub/sdk';
import type { XmlElement } from '../xml/tree.js';

/** Where a value came from, for rejection reasons: "RealTimeDuration (line 31)". */
export function at(el: XmlElement): string {
  return `${el.prefix ? `${el.prefix}:` : ''}${el.local} (line ${el.line})`;
}

/** A finite number, or a rejection that names the element. */
export function num(text: string, el: XmlElement): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new RejectedInputError(`${at(el)}: ${quoteValue(text, 40)} is not a number`);
  return n;
}

/** A whitespace-separated list of numbers. */
export function numList(text: string, el: XmlElement): number[] {
  const out: number[] = [];
  for (const tok of text.split(/\s+/)) if (tok !== '') out.push(num(tok, el));
  return out;
}

const DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An xs:duration such as PT0.1S or PT1M30S, in seconds (years and months are not used by instruments). */
export function durationS(text: string, el: XmlElement): number {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) throw new RejectedInputError(`${at(el)}: ${quoteValue(text, 40)} is not an ISO 8601 duration`);
  const [, neg, d, h, min, s] = m;
  const total = Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
  if (neg) throw new RejectedInputError(`${at(el)}: negative duration ${quoteValue(text, 40)}`);
  return total;
}

/** xs:boolean, also the 0/1 that 2006 writers use. */
export function bool(text: string, el: XmlElement): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new RejectedInputError(`${at(el)}: ${quoteValue(t, 40)} is not a boolean`);
}

/**
 * Channel counts, decompressing CountedZeroes (a 0 followed by how many zeros it stands for).
 * The expanded length is checked before anything is allocated, so "0 4000000000" cannot exhaust memory.
 */
export function channelData(el: XmlElement, compression: string | undefined, maxChannels: number): number[] {
  const values = numList(el.text, el);
  const code = (compression ?? 'None').trim();
  if (code === 'None' || code === '') {
    if (values.length > maxChannels) throw new RejectedInputError(`${at(el)}: ${values.length} channels, more than the ${maxChannels} limit`);
    return checkCounts(values, el);
  }
  if (code !== 'CountedZeroes') throw new RejectedInputError(`${at(el)}: unknown compression ${quoteValue(code, 40)}`);
  let length = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) {
      const n = values[++i];
      if (n === undefined) throw new RejectedInputError(`${at(el)}: CountedZeroes data ends with a 0 that has no count`);
      if (!Number.isInteger(n) || n < 1) throw new RejectedInputError(`${at(el)}: CountedZeroes zero count ${n} is not a positive integer`);
      length += n;
    } else length++;
    if (length > maxChannels) throw new RejectedInputError(`${at(el)}: spectrum expands to more than the ${maxChannels}-channel limit`);
  }
  const out = new Array<number>(length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) {
      const n = values[++i]!;
      out.fill(0, k, k + n);
      k += n;
    } else out[k++] = values[i]!;
  }
  return checkCounts(out, el);
}

function checkCounts(values: number[], el: XmlElement): number[] {
  const bad = values.find((v) => v < 0);
  if (bad !== undefined) throw new RejectedInputError(`${at(el)}: negative channel count ${bad}`);
  return values;
}
