import { defineSimulator, seededRandom, type Logger } from '@customs-hub/sdk';
import { IsapiServer } from './isapi-server.js';
import { SimulatedCamera, type SimulatedCameraOptions } from './simulated-camera.js';

function options(raw: Record<string, unknown>) {
  const num = (v: unknown, d: number) => (v === undefined || v === '' ? d : Number(v));
  const o = {
    mode: String(raw.mode ?? 'isapi') as SimulatedCameraOptions['mode'],
    host: String(raw.host ?? '127.0.0.1'),
    port: num(raw.port, 8481),
    username: raw.username === undefined ? undefined : String(raw.username),
    password: String(raw.password ?? ''),
    pageSize: num(raw.pageSize, 50),
    hubUrl: String(raw.hubUrl ?? 'http://127.0.0.1:8080'),
    deviceId: String(raw.deviceId ?? 'LPR-1'),
    token: String(raw.token ?? process.env.HUB_TOKEN ?? ''),
    seed: num(raw.seed, 1),
    clockOffsetMs: num(raw.clockOffsetMs, 0),
    imageWidth: num(raw.imageWidth, 320),
    imageHeight: num(raw.imageHeight, 180),
    idPrefix: String(raw.idPrefix ?? 'LPR'),
    camera: String(raw.camera ?? 'anpr-1'),
    intervalS: num(raw.intervalS, 15),
    misreadRate: num(raw.misreadRate, 0.05),
    ...(raw.lane !== undefined ? { lane: String(raw.lane) } : {}),
  };
  if (!['isapi', 'push'].includes(o.mode)) throw new Error(`plate-reader simulator: --mode must be isapi or push, got ${o.mode}`);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`plate-reader simulator: --port must be a TCP port, got ${String(raw.port)}`);
  if (!(o.intervalS >= 0)) throw new Error(`plate-reader simulator: --interval-s must be >= 0, got ${String(raw.intervalS)}`);
  if (!(o.misreadRate >= 0 && o.misreadRate <= 1))
    throw new Error(`plate-reader simulator: --misread-rate must be within 0..1, got ${String(raw.misreadRate)}`);
  if (o.mode === 'push' && !o.token) throw new Error('plate-reader simulator: --mode push needs --token (or HUB_TOKEN), a hub token with scope devices:write');
  return o;
}

/** Starts a simulated camera (the lane twin calls this, then drives it with see()). */
export async function startPlateCamera(raw: Record<string, unknown>, logger: Logger): Promise<SimulatedCamera> {
  const o = options(raw);
  const isapi =
    o.mode === 'isapi'
      ? await IsapiServer.listen(o.host, o.port, o.username !== undefined ? { username: o.username, password: o.password } : null, o.pageSize)
      : null;
  const camera = new SimulatedCamera(o, logger, isapi);
  if (o.intervalS > 0) {
    const random = seededRandom(o.seed + 104729);
    const letters = 'ABCDEFGHJKLMNPRSTVWXYZ';
    const pick = () => letters[Math.floor(random() * letters.length)]!;
    const timer = setInterval(() => {
      const plate = `${pick()}${pick()}${String(100 + Math.floor(random() * 900))}${pick()}${pick()}`;
      camera
        .see({ plate, country: 'F', misread: random() < o.misreadRate, correctAfterMs: 1000, vehicle: { type: random() < 0.7 ? 'truck' : 'car' } })
        .catch((err: unknown) => logger.warn({ err: String(err) }, 'plate-reader simulator: read not delivered'));
    }, o.intervalS * 1000);
    const stop = camera.stop.bind(camera);
    camera.stop = async () => {
      clearInterval(timer);
      await stop();
    };
  }
  return camera;
}

/** An ANPR camera: an ISAPI-style plate list to poll, or JSON events pushed to the hub. `--interval-s 0` leaves it to be driven. */
export const plateReaderSimulator = defineSimulator({
  name: 'plate-reader',
  description: 'ANPR camera: ISAPI-style plate list over HTTP, or JSON events pushed to the hub',
  options: [
    { flags: '--mode <isapi|push>', description: 'isapi: serve the plate list the hub polls; push: POST events to the hub', default: 'isapi' },
    { flags: '--host <host>', description: 'isapi: address to listen on', default: '127.0.0.1' },
    { flags: '--port <n>', description: 'isapi: HTTP port', default: 8481 },
    { flags: '--username <name>', description: 'isapi: require HTTP Digest authentication with this user' },
    { flags: '--password <secret>', description: 'isapi: the password for --username' },
    { flags: '--page-size <n>', description: 'isapi: most plates per list answer', default: 50 },
    { flags: '--hub-url <url>', description: "push: the hub's base URL", default: 'http://127.0.0.1:8080' },
    { flags: '--device-id <id>', description: 'push: the hub device id of this camera', default: 'LPR-1' },
    { flags: '--token <token>', description: 'push: a hub token with scope devices:write (default: $HUB_TOKEN)' },
    { flags: '--interval-s <seconds>', description: 'seconds between vehicles; 0 = driven only (lane twin)', default: 15, type: 'number' },
    { flags: '--misread-rate <share>', description: 'share of plates misread (push: corrected by an UPDATE)', default: 0.05, type: 'number' },
    { flags: '--clock-offset-ms <ms>', description: 'the camera clock minus true time', default: 0, type: 'number' },
    { flags: '--lane <id>', description: 'lane number the camera reports' },
    { flags: '--image-width <px>', description: 'width of the overview picture', default: 320 },
    { flags: '--image-height <px>', description: 'height of the overview picture', default: 180 },
    { flags: '--id-prefix <text>', description: "prefix of the camera's read ids", default: 'LPR' },
    { flags: '--camera <name>', description: 'camera name in pushed events', default: 'anpr-1' },
    { flags: '--seed <n>', description: 'random seed', default: 1 },
  ],
  start: (raw, logger) => startPlateCamera(raw, logger),
});
