import type { Observation } from '@customs-hub/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchRaw, fetchRawStream } from '../api.js';
import { rawU16Thumbnail } from '../logic/raw-u16-thumbnail.js';
import type { Overlay } from '../logic/threat-overlays.js';
import { XrayPreview } from './xray-preview.js';

const SHOWABLE = /^image\/(png|jpeg|gif|webp|bmp)$/;

/**
 * The scan image: the preview the hub decoded (DICOS, cargo scanners) with its threat regions; else
 * browser formats as they are, raw 16-bit transmission images drawn as a thumbnail.
 */
export function XrayThumb({ scan, overlays = [] }: { scan: Observation<'xray.scan'>; overlays?: Overlay[] }) {
  if (scan.raw?.some((r) => r.role === 'preview')) return <XrayPreview scan={scan} overlays={overlays} />;
  return <XrayRaw scan={scan} />;
}

function XrayRaw({ scan }: { scan: Observation<'xray.scan'> }) {
  const p = scan.payload;
  const ref = scan.raw?.find((r) => r.sha256 === p.image?.sha256) ?? scan.raw?.[0];
  const canvas = useRef<HTMLCanvasElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    setUrl(null);
    setNote(null);
    setDrawn(false);
    if (!ref) {
      setNote(`no image (${p.imageStatus})`);
      return;
    }
    let live = true,
      objectUrl: string | null = null;
    const show = async () => {
      if (p.image?.format === 'raw-u16le' && p.image.widthPx) {
        const thumb = await rawU16Thumbnail(await fetchRawStream(ref.sha256), p.image.widthPx, { sizeBytes: ref.size });
        const c = canvas.current;
        if (!live || !c || thumb.width === 0) return;
        c.width = thumb.width;
        c.height = thumb.height;
        const ctx = c.getContext('2d')!;
        const img = ctx.createImageData(thumb.width, thumb.height);
        img.data.set(thumb.pixels);
        ctx.putImageData(img, 0, 0);
        // Findings' boxes are in image coordinates (x along the detector, y along the lines): transposed here.
        ctx.lineWidth = 2;
        ctx.strokeStyle = '#ff1744';
        for (const f of p.findings) {
          if (!f.box) continue;
          ctx.strokeRect(
            f.box.y / thumb.lineStep,
            f.box.x / thumb.pixelStep,
            Math.max(2, f.box.height / thumb.lineStep),
            Math.max(2, f.box.width / thumb.pixelStep),
          );
        }
        setDrawn(true);
        return;
      }
      const blob = await fetchRaw(ref.sha256);
      // The hub serves raw files as octet-stream: the type comes from the reference, or the file's magic bytes.
      const type = ref.contentType && SHOWABLE.test(ref.contentType) ? ref.contentType : sniffImage(new Uint8Array(await blob.slice(0, 8).arrayBuffer()));
      if (!live) return;
      if (!type) {
        setNote(`image stored (${p.image?.format ?? ref.contentType ?? 'unknown format'}, ${(ref.size / 1048576).toFixed(1)} MB); no preview`);
        return;
      }
      objectUrl = URL.createObjectURL(new Blob([blob], { type }));
      setUrl(objectUrl);
    };
    show().catch((err: Error) => {
      if (live) setNote(err.message);
    });
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [ref?.sha256]);
  const label = `X-ray scan ${p.scanId}${p.findings.length ? `, ${p.findings.length} finding(s)` : ''}`;
  if (url) return <img class="xray-thumb" src={url} alt={label} />;
  return (
    <>
      <canvas ref={canvas} class="xray-thumb" role="img" aria-label={label} hidden={!drawn} />
      {!drawn && <div class="xray-thumb placeholder">{note ?? 'loading image…'}</div>}
    </>
  );
}

function sniffImage(head: Uint8Array): string | null {
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46) return 'image/gif';
  return null;
}
