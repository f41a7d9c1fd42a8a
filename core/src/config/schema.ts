import { NAME } from './names.js';
import { SECTIONS } from './sections/index.js';

/** JSON Schema of a checkpoint config file (YAML). Device `config` blocks are checked against each plugin's own schema. */
const device = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'plugin'],
  properties: {
    id: NAME,
    plugin: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    isolation: { enum: ['worker', 'in-process'], description: 'worker (default): its own worker thread; in-process: for debugging.' },
    group: { ...NAME, description: 'Devices with the same group share one worker thread.' },
    adminState: { enum: ['enabled', 'maintenance', 'disabled'] },
    config: { type: 'object' },
  },
};

export const checkpointConfigSchema = {
  $id: 'https://customs-hub.dev/schemas/checkpoint-config.v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['checkpoint'],
  properties: {
    checkpoint: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: NAME, name: { type: 'string' }, timezone: { type: 'string' } },
    },
    dataDir: { type: 'string', minLength: 1 },
    lanes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'devices'],
        properties: {
          id: NAME,
          name: { type: 'string' },
          type: {
            enum: ['cargo', 'vehicle', 'passenger', 'rail', 'port', 'air-cargo', 'baggage', 'other'],
            description:
              'What passes: road cargo, cars, trains; a port gate (boxes off a vessel), an air cargo line (ULDs under air waybills), a baggage line (tagged bags).',
          },
          devices: { type: 'array', items: device },
        },
      },
    },
    devices: { type: 'array', items: device, description: 'Devices not bound to a lane (handheld instruments).' },
    ...Object.fromEntries(Object.entries(SECTIONS).map(([key, section]) => [key, section.schema])),
  },
};
