import { RejectedInputError } from '@customs-hub/sdk';
import { childOf, childrenOf, textOf, type XmlElement } from '../xml/tree.js';
import { NS_2011 as NS } from './document.js';
import { at } from './values.js';

/** A file an instrument embedded in its document (a RIID's photo of the item, a voice note), to keep as raw evidence. */
export interface Attachment {
  bytes: Buffer;
  name: string;
  contentType: string;
  /** 'photo' for images, 'multimedia' for anything else. */
  role: string;
}

const MIME = /^[A-Za-z0-9][\w.+-]*\/[\w.+-]+$/;
const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'video/mp4': 'mp4',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'text/plain': 'txt',
};

/**
 * The embedded objects of a 2011/2012 document's MultimediaData elements. Base64, hex and UTF-8 objects
 * are decoded (malformed encodings are refused, naming the element); an element that only names a
 * file by URI has nothing to keep and yields a warning, since the hub does not fetch what a file points at.
 */
export function readAttachments(root: XmlElement, warnings: string[]): Attachment[] {
  const out: Attachment[] = [];
  childrenOf(root, 'MultimediaData', NS).forEach((m, i) => {
    const bytes = decoded(m);
    if (!bytes) {
      const uri = textOf(m, 'MultimediaFileURI', NS);
      warnings.push(
        `${at(m)}: MultimediaData without an embedded object${uri ? ` (it names '${uri.slice(0, 100)}', which is not fetched)` : ''}; nothing kept`,
      );
      return;
    }
    const declared = textOf(m, 'MultimediaDataMIMEKind', NS);
    const contentType = declared && MIME.test(declared) ? declared.toLowerCase() : 'application/octet-stream';
    if (declared && contentType !== declared.toLowerCase())
      warnings.push(`${at(m)}: MIME kind '${declared.slice(0, 60)}' is not a media type; kept as application/octet-stream`);
    const id = (m.attrs['id'] ?? `multimedia-${i + 1}`).replace(/[^\w.-]/g, '_').slice(0, 80);
    out.push({ bytes, name: `${id}.${EXT[contentType] ?? 'bin'}`, contentType, role: contentType.startsWith('image/') ? 'photo' : 'multimedia' });
  });
  return out;
}

function decoded(m: XmlElement): Buffer | null {
  const b64 = childOf(m, 'BinaryBase64Object', NS);
  if (b64) {
    const text = b64.text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new RejectedInputError(`${at(b64)}: not valid base64`);
    return text ? Buffer.from(text, 'base64') : null;
  }
  const hex = childOf(m, 'BinaryHexObject', NS);
  if (hex) {
    const text = hex.text.replace(/\s+/g, '');
    if (!/^(?:[0-9A-Fa-f]{2})*$/.test(text)) throw new RejectedInputError(`${at(hex)}: not valid hexadecimal (an even number of 0-9, A-F)`);
    return text ? Buffer.from(text, 'hex') : null;
  }
  const utf8 = childOf(m, 'BinaryUTF8Object', NS);
  if (utf8 && utf8.text !== '') return Buffer.from(utf8.text, 'utf8');
  return null;
}
