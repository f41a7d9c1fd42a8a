import { LinkProxy } from '../../src/national/link-proxy.js';

/** A TCP proxy on 127.0.0.1 in front of the real broker, to cut and restore "the network" in tests. */
export class TcpProxy extends LinkProxy {
  constructor(targetHost: string, targetPort: number) {
    super(targetPort, targetHost);
  }

  static forUrl(url: string): TcpProxy {
    const u = new URL(url.replace(/^nats:/, 'http:'));
    return new TcpProxy(u.hostname, Number(u.port || 4222));
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }
}
