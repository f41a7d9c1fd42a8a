import { defineSimulator, type Logger, type VehiclePass } from '@customs-hub/sdk';
import { loadProfile } from '../profile-loader.js';
import { ProfileSimulator } from './profile-simulator.js';

function int(value: unknown, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`modbus-device simulator: --${name} must be an integer ${min}–${max}, got ${String(value)}`);
  return n;
}

/** The `modbus-device` simulator: serves any device profile over Modbus TCP or RTU-over-TCP. */
export const modbusDeviceSimulator = defineSimulator({
  name: 'modbus-device',
  description: 'A Modbus device described by a profile (bdkg-05, weighbridge or a YAML path), with plausible values',
  options: [
    { flags: '--profile <name>', description: 'shipped profile name or path to a profile YAML', default: 'bdkg-05' },
    { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
    { flags: '--port <n>', description: 'TCP port (a real port: 0 is not allowed)', default: 1502 },
    { flags: '--unit-id <n>', description: "unit id to answer (default: the profile's; 255 answers all)" },
    { flags: '--framing <framing>', description: "tcp or rtu-over-tcp (default: the profile's)" },
    { flags: '--seed <n>', description: 'random seed; the same seed replays the same values', default: 1 },
    { flags: '--tick-ms <n>', description: 'how often values change, ms', default: 500 },
    { flags: '--traffic <random|driven>', description: "weighbridge: driven puts only the lane twin's vehicles on the deck", default: 'random' },
  ],
  async start(options: Record<string, unknown>, logger: Logger) {
    const profile = await loadProfile(String(options.profile ?? 'bdkg-05'));
    const framing = options.framing === undefined ? undefined : String(options.framing);
    if (framing !== undefined && framing !== 'tcp' && framing !== 'rtu-over-tcp') {
      throw new RangeError(`modbus-device simulator: --framing must be tcp or rtu-over-tcp, got ${framing}`);
    }
    const traffic = String(options.traffic ?? 'random');
    if (traffic !== 'random' && traffic !== 'driven') throw new RangeError(`modbus-device simulator: --traffic must be random or driven, got ${traffic}`);
    if (traffic === 'driven' && profile.kind !== 'weight')
      throw new RangeError(`modbus-device simulator: --traffic driven needs a weighbridge profile (${profile.name} is ${profile.kind})`);
    const sim = new ProfileSimulator(profile, {
      traffic,
      host: String(options.host ?? '127.0.0.1'),
      port: int(options.port, 'port', 1502, 1, 65535)!,
      unitId: int(options.unitId, 'unit-id', undefined, 0, 255),
      framing,
      seed: int(options.seed, 'seed', 1, 0, 2 ** 32 - 1)!,
      tickMs: int(options.tickMs, 'tick-ms', 500, 10, 60_000),
      onError: (err) => logger.debug({ err: err.message }, 'client socket error'),
    });
    await sim.start();
    const where = `${profile.name} (${framing ?? profile.framing}) on ${String(options.host ?? '127.0.0.1')}:${int(options.port, 'port', 1502, 1, 65535)}`;
    logger.debug({ profile: profile.file }, `modbus-device simulator: ${where}`);
    return {
      describe: () => `modbus-device ${where}${traffic === 'driven' ? ', driven by the lane twin' : ''}`,
      stop: () => sim.stop(),
      // a vehicle without a mass (baggage) does not cross the weighbridge
      pass: (v: VehiclePass) => {
        if (traffic === 'driven' && v.grossKg !== undefined)
          sim.vehicle({ grossKg: v.grossKg, stableS: v.dwellS ?? 6, ...(v.tareKg !== undefined ? { tareKg: v.tareKg } : {}) });
      },
    };
  },
});
