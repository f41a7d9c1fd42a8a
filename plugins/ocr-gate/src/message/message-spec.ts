import type { ObjectSpec } from './fields.js';

/**
 * The fields of a gate message, for JSON and XML alike (README: "Message format"). Confidences are
 * checked against the configured scale after reading, so the bounds here are the widest (0..100).
 */
const confidence = { t: 'number', min: 0, max: 100 } as const;
const charConfidence = { t: 'numbers', maxItems: 20, min: 0, max: 100 } as const;
const text = (max: number) => ({ t: 'string', max }) as const;
const nonEmpty = /\S/;

export const CONTAINER_SPEC: ObjectSpec = {
  required: ['code'],
  fields: {
    code: { t: 'string', max: 40, pattern: nonEmpty },
    confidence,
    charConfidence,
    sizeType: { t: 'string', max: 4, pattern: /^[0-9A-Z]{4}$/ },
    checkDigitOk: { t: 'boolean' },
    position: text(50),
    side: text(50),
    camera: text(100),
    damage: { t: 'boolean' },
    damageNotes: text(500),
    doorDirection: text(20),
  },
};

export const PLATE_SPEC: ObjectSpec = {
  required: ['number'],
  fields: {
    number: { t: 'string', max: 20, pattern: nonEmpty },
    country: text(3),
    region: text(50),
    confidence,
    charConfidence,
    position: text(50),
    camera: text(100),
  },
};

export const ITEM_SPEC: ObjectSpec = {
  required: ['type', 'code'],
  fields: {
    type: { t: 'string', enum: ['airWaybill', 'bagTag', 'uld'] },
    code: { t: 'string', max: 40, pattern: nonEmpty },
    confidence,
  },
};

export const SEAL_SPEC: ObjectSpec = {
  required: ['present'],
  fields: { present: { t: 'boolean' }, number: text(50), position: text(50), confidence },
};

export const IMAGE_SPEC: ObjectSpec = {
  required: ['data'],
  text: 'data',
  fields: {
    data: { t: 'string' },
    camera: text(100),
    side: text(50),
    contentType: { t: 'string', max: 100, pattern: /^image\/[a-z0-9.+-]+$/ },
    // eslint-disable-next-line no-control-regex -- a file name never holds a path separator or NUL
    name: { t: 'string', max: 200, pattern: /^[^/\\\u0000]+$/ },
  },
};

export const READING_SPEC: ObjectSpec = {
  required: ['type', 'id', 'time'],
  fields: {
    type: { t: 'string', enum: ['NEW', 'UPDATE'] },
    id: { t: 'string', max: 160, pattern: nonEmpty },
    revision: { t: 'integer', min: 0 },
    time: { t: 'string', max: 40 },
    direction: { t: 'string', enum: ['in', 'out', 'unknown'] },
    lane: text(64),
    camera: text(100),
    confidence,
    containers: { t: 'list', item: CONTAINER_SPEC, maxItems: 10, xml: 'Container' },
    plates: { t: 'list', item: PLATE_SPEC, maxItems: 10, xml: 'Plate' },
    items: { t: 'list', item: ITEM_SPEC, maxItems: 20, xml: 'Item' },
    method: { t: 'string', enum: ['ocr', 'barcode', 'rfid'] },
    vessel: { t: 'object', spec: { fields: { name: text(100), imo: { t: 'string', max: 12, pattern: /^(IMO)?\s?[0-9]{7}$/i }, voyage: text(40) } } },
    flight: {
      t: 'object',
      spec: { required: ['number'], fields: { number: { t: 'string', max: 10, pattern: /^[A-Z0-9]{2}\s?[0-9]{1,4}[A-Z]?$/i }, date: text(40) } },
    },
    damage: { t: 'object', spec: { required: ['detected'], fields: { detected: { t: 'boolean' }, notes: text(500) } } },
    seals: { t: 'list', item: SEAL_SPEC, maxItems: 20, xml: 'Seal' },
    images: { t: 'list', item: IMAGE_SPEC, maxItems: 20, xml: 'Image' },
  },
};

export const HEARTBEAT_SPEC: ObjectSpec = {
  required: ['type'],
  fields: { type: { t: 'string', enum: ['HEARTBEAT'] }, time: { t: 'string', max: 40 } },
};
