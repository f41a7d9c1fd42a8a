import { decodeValue } from '@customs-hub/modbus-link';
import type { Alarm, ObservationDraft } from '@customs-hub/sdk';
import type { ReadBlock } from './blocks.js';
import type { AlarmRule, Profile, RegisterDef } from './profile.js';

/** What one block read returned: register words, or bits for coils and discrete inputs. */
export type BlockData = number[] | boolean[];

export type Values = Map<string, number | boolean>;

/** A register whose value cannot be used (NaN or infinite float). */
export class BadValueError extends Error {
  readonly code = 'BAD_VALUE';
  constructor(
    readonly register: RegisterDef,
    readonly words: readonly number[],
  ) {
    super(`register '${register.name}' (${register.table} ${register.address}) decoded to a non-finite value from words ${hex(words)}`);
    this.name = 'BadValueError';
  }
}

/** Decodes every register of every block into engineering values by register name. */
export function decodeBlocks(blocks: readonly ReadBlock[], data: readonly BlockData[]): Values {
  const values: Values = new Map();
  blocks.forEach((block, i) => {
    const got = data[i]!;
    for (const r of block.registers) {
      const at = r.address - block.address;
      if (r.type === 'bool') {
        values.set(r.name, Boolean(got[at]));
        continue;
      }
      const words = (got as number[]).slice(at, at + (r.type === 'u16' || r.type === 's16' ? 1 : 2));
      if (r.bit !== undefined) {
        values.set(r.name, ((words[0]! >> r.bit) & 1) === 1);
        continue;
      }
      const value = decodeValue(words, { type: r.type, wordOrder: r.wordOrder, scale: r.scale, offset: r.offset });
      if (!Number.isFinite(value)) throw new BadValueError(r, words);
      values.set(r.name, round(value));
    }
  });
  return values;
}

// f32 carries ~7 significant digits; scaling (Sv → µSv) would otherwise expose binary noise like 0.11000000298.
function round(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(9));
}

/** Builds the observation draft of one poll. */
export function toDraft(profile: Profile, blocks: readonly ReadBlock[], data: readonly BlockData[], values: Values, now: Date): ObservationDraft {
  const payload: Record<string, unknown> = {};
  const telemetry: Record<string, { value: number | boolean; unit?: string }> = {};
  const ext: Record<string, unknown> = { profile: profile.name, registers: blocks.map((b, i) => compact(b, data[i]!)) };
  for (const r of profile.registers) {
    const value = values.get(r.name)!;
    if (r.field.target === 'payload') payload[r.field.key] = value;
    else if (r.field.target === 'values') telemetry[r.name] = r.unit ? { value, unit: r.unit } : { value };
    else ext[r.field.key] = value;
  }
  if (profile.kind === 'telemetry') payload.values = telemetry;
  const draft: ObservationDraft = {
    kind: profile.kind,
    deviceTime: now.toISOString(),
    payload: payload as never,
    extensions: { 'modbus-device': ext },
  };
  const alarms = profile.alarms.flatMap((rule) => alarmOf(rule, values.get(rule.register)!));
  if (alarms.length > 0) draft.alarms = alarms;
  return draft;
}

function alarmOf(rule: AlarmRule, value: number | boolean): Alarm[] {
  const n = typeof value === 'number' ? value : null;
  let threshold: number | undefined;
  if (rule.above !== undefined && n !== null && n > rule.above) threshold = rule.above;
  else if (rule.below !== undefined && n !== null && n < rule.below) threshold = rule.below;
  else if (rule.equals === undefined || value !== rule.equals) return [];
  const alarm: Alarm = { category: rule.category, source: 'device', level: rule.level };
  if (rule.message) alarm.message = rule.message;
  if (n !== null) alarm.value = n;
  if (threshold !== undefined) alarm.threshold = threshold;
  return [alarm];
}

/** A block's raw content in one short string: "input@0x0001: 1680 0000 00F2 …", bits as 0/1. */
export function compact(block: ReadBlock, data: BlockData): string {
  const body = block.table === 'coil' || block.table === 'discrete' ? (data as boolean[]).map((b) => (b ? '1' : '0')).join('') : hex(data as number[]);
  return `${block.table}@0x${block.address.toString(16).padStart(4, '0').toUpperCase()}: ${body}`;
}

function hex(words: readonly number[]): string {
  return words.map((w) => w.toString(16).padStart(4, '0').toUpperCase()).join(' ');
}
