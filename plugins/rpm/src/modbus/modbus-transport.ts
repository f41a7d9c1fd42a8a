import { ModbusLink, PollScheduler } from '@customs-hub/modbus-link';
import type { Clock, Logger } from '@customs-hub/sdk';
import type { ResolvedConfig } from '../config.js';
import type { EventSink, GammaState, NeutronState, Transport } from '../events.js';
import { resolveMap, type ResolvedMap } from './register-map.js';
import { decodeHeader, decodeSlots, isSet, newSequences, slotsPerRead, type Header, type RingSample } from './ring-reader.js';

const SAMPLE_S = 0.2;

/**
 * Polls a portal over Modbus (TCP, or RTU framed over TCP through an RS-485 gateway): the header
 * and the sample ring once per poll, through one serialized ModbusLink. New samples (by sequence
 * number) become the same events the ASCII stream gives; an end of occupancy is the falling edge
 * of the occupied bit.
 */
export class ModbusTransport implements Transport {
  private readonly map: ResolvedMap;
  private readonly link: ModbusLink;
  private readonly scheduler: PollScheduler;
  private lastSeq: number | null = null;
  private occupied = false;
  private tamper: boolean | null = null;
  private setupKey = '';
  private lastSpeed = 0;
  private paused = false;
  private everConnected = false;
  private stopping = false;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.map = resolveMap(config.modbus.map, config.panels);
    this.link = new ModbusLink({
      host: config.host,
      port: config.port,
      framing: config.modbus.framing,
      timeoutMs: config.modbus.timeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      backoff: { initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs },
    });
    this.link.on('connected', () => {
      this.sink.linkUp(this.everConnected);
      this.everConnected = true;
      this.setupKey = '';
    });
    this.link.on('disconnected', (err) => {
      if (this.stopping) return; // our own close, not a lost link
      this.occupied = false; // the builder closes an open passage as connection-lost
      this.sink.linkDown(err);
    });
    this.scheduler = new PollScheduler({
      clock: { now: () => clock.now().getTime(), sleep: (ms, signal) => clock.sleep(ms, signal) },
      onError: (_task, err) => this.sink.failure(err as Error),
    });
    this.scheduler.add({ name: `rpm ${config.host}:${config.port}`, intervalMs: config.modbus.pollIntervalMs, run: (signal) => this.poll(signal) });
  }

  start(): void {
    this.link.open();
    this.scheduler.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.scheduler.stop();
    await this.link.close();
  }

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }

  private async poll(signal: AbortSignal): Promise<void> {
    if (this.paused) return;
    const { unitId } = this.config.modbus;
    const [start, count] = this.map.header;
    const header = decodeHeader(await this.link.readInputRegisters(unitId, start, count, { signal }), this.map);
    const ring = await this.readRing(signal);
    const now = this.clock.now();
    this.setup(header, now);
    const { seqs, lost, restarted } = newSequences(this.lastSeq, header.sampleSeq, this.map.slots);
    if (restarted) this.logger.warn({ last: this.lastSeq, head: header.sampleSeq }, 'sample counter went back: device restarted');
    let missing = lost;
    for (const seq of seqs) {
      const s = ring[seq % this.map.slots]!;
      if (s.seq !== seq) {
        missing++;
        continue;
      } // overwritten between the two reads
      const at = new Date(now.getTime() - ((header.sampleSeq - seq + 0x10000) % 0x10000) * SAMPLE_S * 1000);
      this.sample(s, header, at);
    }
    this.lastSeq = header.sampleSeq;
    if (missing > 0) this.sink.lost(missing);
  }

  private async readRing(signal: AbortSignal): Promise<RingSample[]> {
    const per = slotsPerRead(this.map);
    const out: RingSample[] = [];
    for (let first = 0; first < this.map.slots; first += per) {
      const n = Math.min(per, this.map.slots - first);
      const words = await this.link.readInputRegisters(this.config.modbus.unitId, this.map.ringAddress + first * this.map.slot.words, n * this.map.slot.words, {
        signal,
      });
      out.push(...decodeSlots(words, n, this.map));
    }
    return out;
  }

  private setup(h: Header, at: Date): void {
    const key = `${h.gammaNSigma}/${h.gammaHighBackground}/${h.gammaLowBackground}/${h.neutronThreshold}`;
    if (key === this.setupKey) return;
    this.setupKey = key;
    this.sink.event(
      {
        type: 'setup-gamma',
        nSigma: h.gammaNSigma,
        highBackground: h.gammaHighBackground,
        lowBackground: h.gammaLowBackground,
        values: { nSigma: h.gammaNSigma, highBackground: h.gammaHighBackground, lowBackground: h.gammaLowBackground },
      },
      at,
    );
    this.sink.event({ type: 'setup-neutron', highBackground: 0, values: { threshold: h.neutronThreshold, backgroundCps: h.neutronBackground } }, at);
  }

  private sample(s: RingSample, h: Header, at: Date): void {
    const occupied = isSet(s.flags, 'occupied');
    const tamper = isSet(s.flags, 'tamper');
    if (tamper !== this.tamper) {
      if (this.tamper !== null || tamper) this.sink.event({ type: 'tamper', active: tamper }, at);
      this.tamper = tamper;
    }
    if (this.occupied && !occupied) {
      this.sink.event({ type: 'occupancy-end', occupancyCount: h.occupancyCount, neutronBackground: h.neutronBackground }, at);
      this.lastSpeed = 0;
    }
    this.occupied = occupied;
    if (occupied && h.speedKmh > 0 && h.speedKmh !== this.lastSpeed) {
      this.lastSpeed = h.speedKmh;
      this.sink.event({ type: 'speed', kmh: h.speedKmh }, at);
    }
    const gamma: GammaState = occupied
      ? isSet(s.flags, 'gammaAlarm')
        ? 'alarm'
        : 'scan'
      : isSet(s.flags, 'gammaHighBackground')
        ? 'high'
        : isSet(s.flags, 'gammaLowBackground')
          ? 'low'
          : 'background';
    const neutron: NeutronState = occupied
      ? isSet(s.flags, 'neutronAlarm')
        ? 'alarm'
        : 'scan'
      : isSet(s.flags, 'neutronHighBackground')
        ? 'high'
        : 'background';
    this.sink.event({ type: 'gamma', state: gamma, counts: s.gamma, intervalS: SAMPLE_S }, at);
    if (s.windowLow > 0 || s.windowHigh > 0) this.sink.event({ type: 'windows', low: s.windowLow, high: s.windowHigh }, at);
    this.sink.event({ type: 'neutron', state: neutron, counts: s.neutron, intervalS: SAMPLE_S }, at);
  }
}
