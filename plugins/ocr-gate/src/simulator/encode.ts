import type { FramingConfig } from '../config.js';
import { DEFAULT_FRAMING } from '../framing/framer.js';
import type { GateMessage } from '../message/gate-message.js';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function element(name: string, value: unknown): string {
  if (value === undefined) return '';
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return `<${name}>${escape(text)}</${name}>`;
}

/** Fields of an object as XML child elements in PascalCase (as the driver reads them). */
function children(o: object, skip: string[] = []): string {
  return Object.entries(o)
    .filter(([k, v]) => !skip.includes(k) && v !== undefined && (typeof v !== 'object' || Array.isArray(v)))
    .map(([k, v]) => element(k.charAt(0).toUpperCase() + k.slice(1), v))
    .join('');
}

/** A gate message as the XML the driver accepts (README: "XML"). */
export function toXml(m: GateMessage): string {
  if (m.type === 'HEARTBEAT') return `<?xml version="1.0" encoding="UTF-8"?><Heartbeat${m.time ? ` time="${escape(m.time)}"` : ''}/>`;
  const attrs = `type="${m.type}" id="${escape(m.id)}"${m.revision !== undefined ? ` revision="${m.revision}"` : ''}`;
  const parts = [
    children({ time: m.time, direction: m.direction, lane: m.lane, camera: m.camera, confidence: m.confidence }),
    ...m.containers.map((c) => `<Container>${children(c)}</Container>`),
    ...m.plates.map((p) => `<Plate>${children(p)}</Plate>`),
    ...(m.items ?? []).map((x) => `<Item>${children(x)}</Item>`),
    m.method ? element('Method', m.method) : '',
    m.vessel ? `<Vessel>${children(m.vessel)}</Vessel>` : '',
    m.flight ? `<Flight>${children(m.flight)}</Flight>` : '',
    m.damage ? `<Damage detected="${m.damage.detected}">${element('Notes', m.damage.notes)}</Damage>` : '',
    ...m.seals.map((s) => `<Seal present="${s.present}">${children(s, ['present'])}</Seal>`),
    ...m.images.map(
      (i) =>
        `<Image${i.camera ? ` camera="${escape(i.camera)}"` : ''}${i.side ? ` side="${escape(i.side)}"` : ''}${i.contentType ? ` contentType="${escape(i.contentType)}"` : ''}>${i.data}</Image>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?><GateReading ${attrs}>${parts.join('')}</GateReading>`;
}

export function toJson(m: GateMessage): string {
  return JSON.stringify(m);
}

/** A message's bytes framed as the driver's config expects. */
export function frame(text: string | Buffer, framing: FramingConfig = DEFAULT_FRAMING): Buffer {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (framing.type === 'delimiter') {
    return Buffer.concat([framing.start ? Buffer.from(framing.start) : Buffer.alloc(0), body, Buffer.from(framing.end ?? '\n')]);
  }
  const bytes = framing.headerBytes ?? 4;
  const header = Buffer.alloc(bytes);
  const big = (framing.byteOrder ?? 'big') === 'big';
  if (bytes === 2) {
    if (big) header.writeUInt16BE(body.length);
    else header.writeUInt16LE(body.length);
  } else if (big) header.writeUInt32BE(body.length);
  else header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
}
