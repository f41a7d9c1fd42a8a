import type { ObjectSpec } from './fields.js';

/** The fields of a pushed camera event (README: "Pushed events"). Confidence bounds are the widest; the scale is checked after. */
const confidence = { t: 'number', min: 0, max: 100 } as const;
const text = (max: number) => ({ t: 'string', max }) as const;
const nonEmpty = /\S/;
/** ONVIF's StringLikelihood: a value and how likely it is. */
const likely = (max: number): ObjectSpec => ({ required: ['Value'], fields: { Value: { t: 'string', max, pattern: nonEmpty }, Likelihood: confidence } });

export const EVENT_SPEC: ObjectSpec = {
  required: ['eventType', 'eventId', 'time'],
  fields: {
    eventType: { t: 'string', enum: ['NEW', 'UPDATE', 'LOST'] },
    eventId: { t: 'string', max: 160, pattern: nonEmpty },
    revision: { t: 'integer', min: 0 },
    time: { t: 'string', max: 40 },
    camera: text(100),
    lane: text(64),
    direction: { t: 'string', enum: ['in', 'out', 'approaching', 'leaving', 'forward', 'reverse', 'unknown'] },
    plate: {
      t: 'object',
      spec: {
        required: ['text'],
        fields: {
          text: { t: 'string', max: 20, pattern: nonEmpty },
          country: text(3),
          region: text(50),
          confidence,
          charConfidence: { t: 'numbers', maxItems: 20, min: 0, max: 100 },
          type: text(50),
          color: text(50),
          position: text(50),
        },
      },
    },
    licensePlateInfo: {
      t: 'object',
      spec: {
        fields: {
          PlateNumber: { t: 'object', spec: likely(20) },
          PlateType: { t: 'object', spec: likely(50) },
          CountryCode: { t: 'object', spec: likely(3) },
          IssuingEntity: { t: 'object', spec: likely(50) },
        },
      },
    },
    vehicle: {
      t: 'object',
      spec: { fields: { type: text(50), color: text(50), make: text(50), model: text(50), speedKmh: { t: 'number', min: 0, max: 1000 } } },
    },
    hazardLabels: { t: 'list', xml: 'HazardLabel', maxItems: 10, item: { fields: { unNumber: text(10), hazardId: text(10), confidence } } },
    images: {
      t: 'list',
      xml: 'Image',
      maxItems: 10,
      item: {
        required: ['role', 'data'],
        fields: {
          role: { t: 'string', enum: ['plate', 'overview'] },
          data: { t: 'string' },
          contentType: { t: 'string', max: 100, pattern: /^image\/[a-z0-9.+-]+$/ },
          // eslint-disable-next-line no-control-regex -- a file name never holds a path separator or NUL
          name: { t: 'string', max: 200, pattern: /^[^/\\\u0000]+$/ },
        },
      },
    },
  },
};
