import type { Observation } from '@customs-hub/sdk';
import { useEffect, useState } from 'preact/hooks';
import { fetchRaw } from '../api.js';

const SHOWABLE = /^image\/(png|jpeg|gif|webp|bmp|svg\+xml)$/;

/** The scan image when the browser can show it; otherwise why not. */
export function XrayThumb({ scan }: { scan: Observation<'xray.scan'> }) {
  const ref = scan.raw?.find((r) => r.role === 'image') ?? scan.raw?.[0];
  const [url, setUrl] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (!ref) { setNote(`no image (${scan.payload.imageStatus})`); return; }
    let revoked = false, objectUrl: string | null = null;
    fetchRaw(ref.sha256).then(async (blob) => {
      if (revoked) return;
      // The hub serves raw files as octet-stream: the type comes from the reference, or the file's magic bytes.
      const type = ref.contentType && SHOWABLE.test(ref.contentType) ? ref.contentType : sniffImage(new Uint8Array(await blob.slice(0, 8).arrayBuffer()));
      if (!type) { setNote(`image stored (${ref.contentType ?? 'unknown format'}, ${(ref.size / 1048576).toFixed(1)} MB); no preview`); return; }
      objectUrl = URL.createObjectURL(new Blob([blob], { type }));
      setUrl(objectUrl);
    }, (err: Error) => setNote(err.message));
    return () => { revoked = true; if (objectUrl) URL.revokeObjectURL(objectUrl); };
  }, [ref?.sha256]);
  if (url) return <img class="xray-thumb" src={url} alt={`X-ray scan ${scan.payload.scanId}`} />;
  return <div class="xray-thumb placeholder">{note ?? 'loading image…'}</div>;
}

function sniffImage(head: Uint8Array): string | null {
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46) return 'image/gif';
  return null;
}
