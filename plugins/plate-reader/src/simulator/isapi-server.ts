import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { digestValid } from '../isapi/http-auth.js';
import { parseIsapiTime, toIsapiTime } from '../isapi/isapi-time.js';

/** One plate the simulated camera holds in its list. */
export interface HeldPlate {
  captureTime: Date;
  plateNumber: string;
  picName: string;
  country?: string;
  laneNo?: number;
  direction: 'forward' | 'reverse';
  confidence: number;
  vehicleType?: string;
  color?: string;
  plate: Buffer;
  overview: Buffer;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const LIMIT = 10_000;

/**
 * The camera's ISAPI-style HTTP side: the plate list after a time (`>=` to the second, at most `pageSize`
 * per answer, oldest first) and each plate's pictures; Digest authentication when credentials are set.
 */
export class IsapiServer {
  readonly plates: HeldPlate[] = [];
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly realm = 'IP Camera(simulated)';
  requests = 0;

  private constructor(
    private readonly server: Server,
    private readonly auth: { username: string; password: string } | null,
    private readonly pageSize: number,
  ) {}

  static async listen(host: string, port: number, auth: { username: string; password: string } | null, pageSize: number): Promise<IsapiServer> {
    let self: IsapiServer | null = null;
    const server = createServer((req, res) => {
      self!.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    self = new IsapiServer(server, auth, pageSize);
    return self;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  add(p: HeldPlate): void {
    this.plates.push(p);
    this.plates.sort((a, b) => a.captureTime.getTime() - b.captureTime.getTime());
    if (this.plates.length > LIMIT) this.plates.splice(0, this.plates.length - LIMIT);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (
      this.auth &&
      !digestValid(String(req.headers.authorization ?? ''), req.method ?? 'GET', this.auth.username, this.auth.password, this.realm, this.nonce)
    ) {
      res.writeHead(401, { 'www-authenticate': `Digest realm="${this.realm}", qop="auth", nonce="${this.nonce}", opaque="x"` }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://camera');
    const list = /^\/ISAPI\/Traffic\/channels\/\d+\/vehicleDetect\/plates$/.exec(url.pathname);
    if (list && req.method === 'POST') {
      const after = /<picTime>([^<]*)<\/picTime>/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      const from = after ? parseIsapiTime(after)?.date : undefined;
      if (after && !from) {
        res.writeHead(400, { 'content-type': 'application/xml' }).end('<ResponseStatus><statusString>Invalid Content</statusString></ResponseStatus>');
        return;
      }
      const cut = from ? Math.floor(from.getTime() / 1000) * 1000 : 0;
      const page = this.plates.filter((p) => Math.floor(p.captureTime.getTime() / 1000) * 1000 >= cut).slice(0, this.pageSize);
      res.writeHead(200, { 'content-type': 'application/xml' }).end(plateListXml(page));
      return;
    }
    const pic = /^\/doc\/ui\/images\/(plate|overview)\/([A-Za-z0-9._-]+)\.jpg$/.exec(url.pathname);
    const held = pic ? this.plates.find((p) => p.picName === pic[2]) : undefined;
    if (pic && held && req.method === 'GET') {
      const data = pic[1] === 'plate' ? held.plate : held.overview;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': data.length }).end(data);
      return;
    }
    res.writeHead(404).end();
  }
}

/** The plate list as an ISAPI-style camera answers it. */
export function plateListXml(plates: HeldPlate[]): string {
  const items = plates
    .map((p) =>
      [
        '<Plate>',
        `<captureTime>${toIsapiTime(p.captureTime)}</captureTime>`,
        `<plateNumber>${escape(p.plateNumber)}</plateNumber>`,
        `<picName>${p.picName}</picName>`,
        p.country ? `<country>${escape(p.country)}</country>` : '',
        p.laneNo !== undefined ? `<laneNo>${p.laneNo}</laneNo>` : '',
        `<direction>${p.direction}</direction>`,
        `<confidence>${Math.round(p.confidence * 100)}</confidence>`,
        p.vehicleType ? `<vehicleType>${escape(p.vehicleType)}</vehicleType>` : '',
        p.color ? `<color>${escape(p.color)}</color>` : '',
        '</Plate>',
      ].join(''),
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Plates version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">${items}</Plates>`;
}
