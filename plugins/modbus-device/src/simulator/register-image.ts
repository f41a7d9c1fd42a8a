import { encodeValue, type RegisterMap } from '@customs-hub/modbus-link';
import type { Profile, RegisterDef, Table } from '../profile.js';

/** Where a register's value lives in the observation, as scenarios name it. */
export function fieldName(r: RegisterDef): string {
  return r.field.target === 'values' ? `values.${r.field.key}` : `${r.field.target}.${r.field.key}`;
}

/**
 * The content of a device's four tables at one instant, encoded from engineering values exactly as
 * the profile says the device encodes them. Addresses not in the profile answer "illegal data address".
 */
export class RegisterImage {
  private readonly tables = new Map<Table, Map<number, number | boolean>>();

  constructor(profile: Profile, valueOf: (r: RegisterDef) => number | boolean) {
    for (const r of profile.registers) {
      const table = this.tables.get(r.table) ?? new Map<number, number | boolean>();
      this.tables.set(r.table, table);
      const value = valueOf(r);
      if (r.type === 'bool') {
        table.set(r.address, Boolean(value));
      } else if (r.bit !== undefined) {
        const word = (table.get(r.address) as number | undefined) ?? 0;
        table.set(r.address, value ? word | (1 << r.bit) : word & ~(1 << r.bit));
      } else {
        const words = encodeValue(Number(value), { type: r.type, wordOrder: r.wordOrder, scale: r.scale, offset: r.offset });
        words.forEach((w, i) => table.set(r.address + i, w));
      }
    }
  }

  /** The served words (or bits) of one table, from address, count long. */
  read(table: Table, address: number, count: number): Array<number | boolean> {
    const t = this.tables.get(table);
    const out: Array<number | boolean> = [];
    for (let a = address; a < address + count; a++) {
      const v = t?.get(a);
      if (v === undefined) throw { modbusErrorCode: 2 };
      out.push(v);
    }
    return out;
  }

  /** A RegisterMap view for startModbusServer. */
  static serve(current: () => RegisterImage): RegisterMap {
    const get = (table: Table) => (address: number) => current().read(table, address, 1)[0]!;
    return {
      getInputRegister: get('input') as (a: number, u: number) => number,
      getHoldingRegister: get('holding') as (a: number, u: number) => number,
      getCoil: get('coil') as (a: number, u: number) => boolean,
      getDiscreteInput: get('discrete') as (a: number, u: number) => boolean,
    };
  }
}
