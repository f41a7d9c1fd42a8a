import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect as tcp, createServer } from 'node:net';
import { join } from 'node:path';
import { connect } from 'nats';
import { LinkProxy } from './link-proxy.js';
import { CENTRAL_DOMAIN, edgeDomain, token } from './nats-names.js';

export interface TopologyOptions {
  /** Folder for configs, stores and logs; each server gets its own store directory. */
  dir: string;
  checkpoints: string[];
  /** nats-server binary (default: NATS_SERVER_BIN or nats-server on the PATH). */
  bin?: string;
  /**
   * Servers that outlive this process (`topology:up`): detached, and leaf uplinks straight to the centre (no
   * relay to cut, since the relay lives in this process).
   */
  detached?: boolean;
  /** Checkpoints whose uplinks go through a relay that can be cut (default: all); the others connect directly. */
  cuttable?: string[];
}

interface Server {
  name: string;
  conf: string;
  port: number;
  proc: ChildProcess | null;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', resolve);
  });
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcp(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The national topology on one machine: a three-node JetStream cluster (domain `central`) and one leaf node
 * per checkpoint with a JetStream domain of its own, each on free loopback ports with its own store. Each
 * leaf's uplink goes through a relay that can be cut, and central nodes can be killed and restarted.
 */
export class NatsTopology {
  readonly central: Server[] = [];
  readonly leaves = new Map<string, Server & { uplink: LinkProxy[] }>();
  private readonly bin: string;

  private constructor(private readonly options: TopologyOptions) {
    this.bin = options.bin ?? process.env.NATS_SERVER_BIN ?? 'nats-server';
  }

  static async start(options: TopologyOptions): Promise<NatsTopology> {
    const t = new NatsTopology(options);
    try {
      await t.boot();
    } catch (err) {
      await t.stop();
      throw err;
    }
    return t;
  }

  get centralUrls(): string[] {
    return this.central.map((s) => `nats://127.0.0.1:${s.port}`);
  }

  leafUrl(checkpoint: string): string {
    const leaf = this.leaves.get(checkpoint);
    if (!leaf) throw new Error(`no leaf node for checkpoint ${checkpoint}`);
    return `nats://127.0.0.1:${leaf.port}`;
  }

  /** Cuts a checkpoint's uplink to the centre (its hub and leaf keep running). */
  async cutLeaf(checkpoint: string): Promise<void> {
    const leaf = this.leaves.get(checkpoint);
    if (!leaf || leaf.uplink.length === 0) throw new Error(`the uplink of ${checkpoint} cannot be cut (not in the topology's cuttable checkpoints)`);
    for (const p of leaf.uplink) await p.cut();
  }

  async restoreLeaf(checkpoint: string): Promise<void> {
    for (const p of this.leaves.get(checkpoint)!.uplink) await p.restore();
  }

  /** SIGKILLs one central node. */
  async killCentral(i: number): Promise<void> {
    const s = this.central[i]!;
    const proc = s.proc;
    s.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  async restartCentral(i: number): Promise<void> {
    const s = this.central[i]!;
    this.run(s);
    await waitForPort(s.port, 10_000);
  }

  async stop(): Promise<void> {
    for (const leaf of this.leaves.values()) for (const p of leaf.uplink) await p.cut();
    const all = [...this.leaves.values(), ...this.central];
    await Promise.all(
      all.map(async (s) => {
        const proc = s.proc;
        s.proc = null;
        if (!proc || proc.exitCode !== null) return;
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Process ids of every server, for a topology started by `topology:up` and ended by `topology:down`. */
  pids(): number[] {
    return [...this.central, ...this.leaves.values()].flatMap((s) => (s.proc?.pid ? [s.proc.pid] : []));
  }

  private run(s: Server): void {
    const proc = spawn(this.bin, ['-c', s.conf], { stdio: 'ignore', detached: this.options.detached === true });
    proc.on('error', () => undefined);
    if (this.options.detached) proc.unref();
    s.proc = proc;
  }

  private async boot(): Promise<void> {
    const dir = this.options.dir;
    mkdirSync(dir, { recursive: true });
    const ports = await Promise.all(
      [0, 1, 2].map(async () => ({ client: await freePort(), route: await freePort(), leaf: await freePort(), nowhere: await freePort() })),
    );
    const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`).join(', ');
    ports.forEach((p, i) => {
      const name = `central-${i + 1}`;
      const conf = join(dir, `${name}.conf`);
      writeFileSync(
        conf,
        [
          `server_name: ${name}`,
          `listen: 127.0.0.1:${p.client}`,
          `log_file: "${join(dir, `${name}.log`)}"`,
          `jetstream { store_dir: "${join(dir, name)}", domain: ${CENTRAL_DOMAIN} }`,
          `cluster { name: national, listen: 127.0.0.1:${p.route}, routes: [${routes}] }`,
          // Leaf nodes learn the centre's own leaf URL from its INFO and would reconnect around a cut relay:
          // it advertises a port where nothing listens, so a leaf reaches the centre only through its remotes.
          `leafnodes { listen: 127.0.0.1:${p.leaf}, no_advertise: true, advertise: "127.0.0.1:${p.nowhere}" }`,
          '',
        ].join('\n'),
      );
      this.central.push({ name, conf, port: p.client, proc: null });
    });
    for (const s of this.central) this.run(s);
    await Promise.all(this.central.map((s) => waitForPort(s.port, 10_000)));

    for (const cp of this.options.checkpoints) {
      const relayed = !this.options.detached && (this.options.cuttable ?? this.options.checkpoints).includes(cp);
      const uplink = relayed ? ports.map((p) => new LinkProxy(p.leaf)) : [];
      for (const u of uplink) await u.start();
      const remotes = relayed ? uplink.map((u) => u.port) : ports.map((p) => p.leaf);
      const name = `leaf-${token(cp)}`;
      const port = await freePort();
      const conf = join(dir, `${name}.conf`);
      writeFileSync(
        conf,
        [
          `server_name: ${name}`,
          `listen: 127.0.0.1:${port}`,
          `log_file: "${join(dir, `${name}.log`)}"`,
          `jetstream { store_dir: "${join(dir, name)}", domain: ${edgeDomain(cp)} }`,
          `leafnodes { reconnect: 1, remotes: [ { urls: [${remotes.map((port) => `nats-leaf://127.0.0.1:${port}`).join(', ')}] } ] }`,
          '',
        ].join('\n'),
      );
      const leaf = { name, conf, port, proc: null, uplink };
      this.leaves.set(cp, leaf);
      this.run(leaf);
    }
    await Promise.all([...this.leaves.values()].map((s) => waitForPort(s.port, 10_000)));
    await this.waitForCentralJetStream(30_000);
  }

  /** The cluster answers JetStream requests once it has elected a meta leader. */
  async waitForCentralJetStream(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    const nc = await connect({ servers: this.centralUrls });
    try {
      for (;;) {
        try {
          await (await nc.jetstreamManager()).getAccountInfo();
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`central JetStream not ready after ${ms} ms: ${(err as Error).message}`, { cause: err });
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    } finally {
      await nc.close();
    }
  }
}
