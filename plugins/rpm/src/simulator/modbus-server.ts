import { encodeValue, startModbusServer, type RunningModbusServer } from '@customs-hub/modbus-link';
import { resolveMap, STATUS_BITS, wordsOf, type FieldFormat, type HeaderField, type ResolvedMap } from '../modbus/register-map.js';
import type { PortalStats } from './ascii-server.js';
import type { PortalModel, Tick } from './portal-model.js';

/**
 * Serves one simulated portal through the documented register map: the header and a ring of the
 * last 8 samples, updated every 200 ms. Addresses outside the map answer exception 2.
 */
export class ModbusPortalServer {
  private readonly map: ResolvedMap;
  private readonly header: number[];
  private readonly ring: number[];
  private server: RunningModbusServer | null = null;
  private served = 0;
  private occupied = false;
  private tamper = false;
  private speed = 0;
  private readonly flagsOf = (t: Tick) =>
    (t.occupied ? STATUS_BITS.occupied : 0) |
    (t.gammaAlarm ? STATUS_BITS.gammaAlarm : 0) |
    (t.neutronAlarm ? STATUS_BITS.neutronAlarm : 0) |
    (!t.occupied && t.gammaHigh ? STATUS_BITS.gammaHighBackground : 0) |
    (!t.occupied && t.gammaLow ? STATUS_BITS.gammaLowBackground : 0) |
    (t.neutronHigh ? STATUS_BITS.neutronHighBackground : 0) |
    (this.tamper ? STATUS_BITS.tamper : 0);
  samplesSent = 0;

  constructor(
    private readonly model: PortalModel,
    private readonly options: { framing: 'tcp' | 'rtu-over-tcp'; wordOrder: 'big' | 'little' },
  ) {
    const o = model.options;
    const little = options.wordOrder === 'little' ? { wordOrder: 'little' as const } : {};
    this.map = resolveMap({ gammaHighBackground: little, gammaLowBackground: little, neutronBackground: little }, o.panels);
    this.header = new Array<number>(this.map.header[1]).fill(0);
    this.ring = new Array<number>(this.map.slots * this.map.slot.words).fill(0);
    this.set('gammaNSigma', o.nSigma);
    this.set('neutronThreshold', o.neutronThreshold);
    this.set('gammaHighBackground', o.highBackgroundCps);
    this.set('gammaLowBackground', o.lowBackgroundCps);
    this.set('neutronBackground', o.neutronBackgroundCps * o.panels);
  }

  async listen(port: number, host: string): Promise<void> {
    this.server = await startModbusServer(
      {
        getInputRegister: (address) => {
          const h = address - this.map.header[0];
          if (h >= 0 && h < this.header.length) return this.header[h]!;
          const r = address - this.map.ringAddress;
          if (r >= 0 && r < this.ring.length) {
            if (r === 0) this.served++;
            return this.ring[r]!;
          }
          throw { modbusErrorCode: 2 };
        },
      },
      { host, port, framing: this.options.framing },
    );
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  stats(): PortalStats {
    return { port: this.port, clients: this.served > 0 ? 1 : 0, samplesSent: this.samplesSent, occupancies: this.model.occupancies, occupied: this.occupied };
  }

  step(): void {
    const t = this.model.step();
    if (t.tamper !== undefined) this.tamper = t.tamper;
    if (t.started) this.speed = t.started.speedKmh;
    this.occupied = t.occupied && !t.ended;
    const { slot, slots, fields } = this.map;
    const base = (t.seq % slots) * slot.words;
    const put = (offset: number, value: number, fmt: FieldFormat) => {
      encodeValue(Math.min(value, maxOf(fmt)), fmt).forEach((w, i) => {
        this.ring[base + offset + i] = w;
      });
    };
    this.ring[base + slot.seq] = t.seq;
    this.ring[base + slot.flags] = this.flagsOf(t);
    put(slot.windowLow, t.windows[0], fields.windowCount);
    put(slot.windowHigh, t.windows[1], fields.windowCount);
    slot.gamma.forEach((o, p) => put(o, t.gamma[p]!, fields.gammaCount));
    slot.neutron.forEach((o, p) => put(o, t.neutron[p]!, fields.neutronCount));
    if (t.ended) this.set('occupancyCount', t.ended.occupancyCount & 0xffff);
    this.set('speedKmh', this.occupied ? this.speed : 0);
    this.set('status', this.flagsOf(t) & ~(t.ended ? STATUS_BITS.occupied : 0));
    this.set('sampleSeq', t.seq);
    // A sample counts as sent once a client has polled the ring at least once.
    if (this.served > 0) this.samplesSent++;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private set(field: HeaderField, value: number): void {
    const fmt = this.map.fields[field];
    const words = encodeValue(value, fmt);
    const at = fmt.address - this.map.header[0];
    for (let i = 0; i < wordsOf(fmt.type); i++) this.header[at + i] = words[i]!;
  }
}

function maxOf(fmt: FieldFormat): number {
  return fmt.type === 'u16' ? 0xffff * fmt.scale : fmt.type === 's16' ? 0x7fff * fmt.scale : Number.MAX_SAFE_INTEGER;
}
