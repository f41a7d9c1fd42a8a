import { createServer, type Server, type Socket } from 'node:net';
import type { PortalModel, Tick } from './portal-model.js';

const pad = (n: number) => String(Math.max(0, Math.round(n))).padStart(6, '0');
const countLine = (tag: string, counts: number[]) => `${tag},${counts.map(pad).join(',')}`;

/** Per-portal counters, for tests and the fan-in benchmark. */
export interface PortalStats {
  port: number;
  clients: number;
  /** Gamma samples (lines or ring samples) delivered while a client was connected. */
  samplesSent: number;
  occupancies: number;
  occupied: boolean;
}

/**
 * Streams one simulated portal as Rapiscan-style lines to every connected client: setup (SG/SN) on
 * connect, then a gamma line every 200 ms (GB/GH/GL with the last second's counts while empty,
 * GS/GA during occupancy), neutron lines each second, SP, GX, TT/TC — and GW energy-window lines.
 */
export class AsciiPortalServer {
  private readonly server: Server;
  private readonly clients = new Set<Socket>();
  private neutronSum: number[];
  private neutronTicks = 0;
  private occupied = false;
  samplesSent = 0;

  constructor(
    private readonly model: PortalModel,
    private readonly options: { windows: boolean },
  ) {
    this.server = createServer((socket) => this.accept(socket));
    this.neutronSum = new Array<number>(model.options.panels).fill(0);
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  stats(): PortalStats {
    return { port: this.port, clients: this.clients.size, samplesSent: this.samplesSent, occupancies: this.model.occupancies, occupied: this.occupied };
  }

  /** Writes raw text to every client (tests use it to send malformed input). */
  inject(text: string): void {
    for (const c of this.clients) c.write(text);
  }

  /** Drops every client connection, as a portal reboot or a cut cable would. */
  dropClients(): void {
    for (const c of this.clients) c.destroy();
  }

  /** One 200-ms step of the portal. */
  step(): void {
    const t = this.model.step();
    this.occupied = t.occupied && !t.ended;
    const lines = this.linesOf(t);
    if (this.clients.size === 0) return;
    this.samplesSent++;
    const text = `${lines.join('\r\n')}\r\n`;
    for (const c of this.clients) c.write(text);
  }

  /** Stops listening; clients get what was written (end, not destroy), then the connection closes. */
  close(): Promise<void> {
    for (const c of this.clients) c.end();
    const force = setTimeout(() => this.dropClients(), 1000);
    return new Promise((resolve) =>
      this.server.close(() => {
        clearTimeout(force);
        resolve();
      }),
    );
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    socket.on('error', () => undefined); // a client that vanishes is not the portal's problem
    socket.on('close', () => this.clients.delete(socket));
    const o = this.model.options;
    socket.write(
      [
        `SG1,${pad(o.highBackgroundCps)},${pad(o.lowBackgroundCps)},000005,000010,${o.nSigma.toFixed(2).padStart(5, '0')}`,
        'SG2,1111,0060.0,3000.0,000001,SUM,SIM1.0',
        'SG3,0060.0,3000.0,000020,000006,FW1.0',
        `SN1,${pad(o.neutronThreshold)},000005,000100,000300,000003,000020`,
        'SN2,0100.0,2000.0,0100.0,2000.0',
      ].join('\r\n') + '\r\n',
    );
  }

  private linesOf(t: Tick): string[] {
    const lines: string[] = [];
    if (t.tamper === true) lines.push('TT,000000,000000,000000,000000');
    if (t.tamper === false) lines.push('TC,111111,111111,111111,111111');
    if (t.started) {
      this.flushNeutron(null);
      lines.push(`SP,${t.started.transitS.toFixed(2)},${(t.started.speedKmh / 1.609344).toFixed(2)},${t.started.speedKmh.toFixed(2)},000000`);
    }
    if (t.occupied) lines.push(countLine(t.gammaAlarm ? 'GA' : 'GS', t.gamma));
    else lines.push(countLine(t.gammaHigh ? 'GH' : t.gammaLow ? 'GL' : 'GB', t.gammaLastSecond));
    if (this.options.windows) lines.push(`GW,${pad(t.windows[0])},${pad(t.windows[1])},000000,000000`);
    t.neutron.forEach((c, p) => {
      this.neutronSum[p]! += c;
    });
    if (++this.neutronTicks === 5 || t.ended) {
      const line = this.flushNeutron(t);
      if (line) lines.push(line);
    }
    if (t.ended)
      lines.push(`GX,${pad(t.ended.occupancyCount)},${pad(this.model.options.neutronBackgroundCps * this.model.options.panels * 1000)},000000,000000`);
    return lines;
  }

  private flushNeutron(t: Tick | null): string | null {
    const sums = this.neutronSum;
    this.neutronSum = sums.map(() => 0);
    const had = this.neutronTicks;
    this.neutronTicks = 0;
    if (!t || had === 0) return null;
    const total = sums.reduce((a, b) => a + b, 0);
    const tag = t.occupied ? (this.model.neutronLineAlarm(total) ? 'NA' : 'NS') : t.neutronHigh ? 'NH' : 'NB';
    return countLine(tag, sums);
  }
}
