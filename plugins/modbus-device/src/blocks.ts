import { wordCount } from '@customs-hub/modbus-link';
import { TABLE_FUNCTION, type RegisterDef, type Table } from './profile.js';

/** One read request covering several registers of one table. */
export interface ReadBlock {
  table: Table;
  functionCode: 1 | 2 | 3 | 4;
  address: number;
  count: number;
  registers: RegisterDef[];
}

// Modbus limits per request (Application Protocol §6.3/6.4): 125 registers, 2000 bits.
const MAX_WORDS = 125;
const MAX_BITS = 2000;
// Only adjacent registers share a read: many devices answer "illegal data address" for a read across a hole.
const MAX_GAP = 0;

/** Size of a register in its table's units (words or bits). */
export function span(r: RegisterDef): number {
  return r.type === 'bool' ? 1 : wordCount(r.type);
}

/** Groups a profile's registers into as few reads as Modbus allows, in address order per table. */
export function planBlocks(registers: readonly RegisterDef[]): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  const tables = [...new Set(registers.map((r) => r.table))];
  for (const table of tables) {
    const limit = table === 'coil' || table === 'discrete' ? MAX_BITS : MAX_WORDS;
    const sorted = registers.filter((r) => r.table === table).sort((a, b) => a.address - b.address);
    let block: ReadBlock | null = null;
    for (const r of sorted) {
      const end = r.address + span(r);
      if (block && r.address <= block.address + block.count + MAX_GAP && end - block.address <= limit) {
        block.count = Math.max(block.count, end - block.address);
        block.registers.push(r);
      } else {
        block = { table, functionCode: TABLE_FUNCTION[table], address: r.address, count: span(r), registers: [r] };
        blocks.push(block);
      }
    }
  }
  return blocks;
}
