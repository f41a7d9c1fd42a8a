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
    fetchRaw(ref.sha256).then((blob) => {
      if (revoked) return;
      if (!SHOWABLE.test(blob.type)) { setNote(`image stored (${ref.contentType ?? blob.type ?? 'unknown format'}, ${(ref.size / 1048576).toFixed(1)} MB); no preview`); return; }
      objectUrl = URL.createObjectURL(blob);
      setUrl(objectUrl);
    }, (err: Error) => setNote(err.message));
    return () => { revoked = true; if (objectUrl) URL.revokeObjectURL(objectUrl); };
  }, [ref?.sha256]);
  if (url) return <img class="xray-thumb" src={url} alt={`X-ray scan ${scan.payload.scanId}`} />;
  return <div class="xray-thumb placeholder">{note ?? 'loading image…'}</div>;
}
