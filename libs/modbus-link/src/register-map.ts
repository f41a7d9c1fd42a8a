/**
 * What a Modbus server serves, one value at a time (the shape of modbus-serial's ServerTCP vector).
 * Throw `{ modbusErrorCode: n }` to answer exception n; any other throw answers 4 (server device failure).
 */
export interface RegisterMap {
  getInputRegister?(address: number, unitId: number): number;
  getHoldingRegister?(address: number, unitId: number): number;
  getCoil?(address: number, unitId: number): boolean;
  getDiscreteInput?(address: number, unitId: number): boolean;
}

/** Reads `count` values of one table through a RegisterMap, as a server answers a request (fc 1–4). */
export function readTable(map: RegisterMap, functionCode: number, address: number, count: number, unitId: number): number[] | boolean[] {
  const get: ((address: number, unitId: number) => number | boolean) | undefined =
    functionCode === 1
      ? map.getCoil
      : functionCode === 2
        ? map.getDiscreteInput
        : functionCode === 3
          ? map.getHoldingRegister
          : functionCode === 4
            ? map.getInputRegister
            : undefined;
  if (!get) throw { modbusErrorCode: 1 };
  if (count < 1 || address + count > 0x10000) throw { modbusErrorCode: 3 };
  const out: Array<number | boolean> = [];
  for (let i = 0; i < count; i++) out.push(get.call(map, address + i, unitId));
  return out as number[] | boolean[];
}

/** The exception code a RegisterMap's throw stands for. */
export function exceptionCodeOf(err: unknown): number {
  const code = (err as { modbusErrorCode?: unknown } | null)?.modbusErrorCode;
  return typeof code === 'number' && code > 0 && code < 0x80 ? code : 4;
}
