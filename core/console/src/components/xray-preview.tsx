import type { Observation, RawRef } from '@customs-hub/sdk';
import { useEffect, useState } from 'preact/hooks';
import { fetchRaw } from '../api.js';
import { previewFrame, type Overlay } from '../logic/threat-overlays.js';

/** A raw PNG the hub made (preview or thumbnail) as an object URL; the raw route needs the token, so no plain src. */
function usePng(ref: RawRef | undefined): { url: string | null; error: string | null } {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setUrl(null);
    setError(null);
    if (!ref) return;
    let live = true,
      objectUrl: string | null = null;
    fetchRaw(ref.sha256)
      .then((blob) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(new Blob([blob], { type: 'image/png' }));
        setUrl(objectUrl);
      })
      .catch((err: Error) => {
        if (live) setError(err.message);
      });
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [ref?.sha256]);
  return { url, error };
}

/** The regions over an image, placed in percent of the image so they follow any zoom. */
function Regions({ overlays, width, height }: { overlays: Overlay[]; width: number; height: number }) {
  return (
    <>
      {overlays.map((o, i) => (
        <div
          key={i}
          class={`xray-region${o.alarm ? ' alarm' : ''}`}
          data-testid="xray-region"
          title={o.label}
          style={{
            left: `${(o.x / width) * 100}%`,
            top: `${(o.y / height) * 100}%`,
            width: `${(o.width / width) * 100}%`,
            height: `${(o.height / height) * 100}%`,
          }}
        >
          <span class="xray-region-label">{o.label}</span>
        </div>
      ))}
    </>
  );
}

/**
 * A scan whose image the hub decoded into a preview: the thumbnail with its threat regions, opening a
 * zoomable full view (buttons or the mouse wheel) with the same regions.
 */
export function XrayPreview({ scan, overlays: found }: { scan: Observation<'xray.scan'>; overlays: Overlay[] }) {
  const raw = scan.raw ?? [];
  const thumbRef = raw.find((r) => r.role === 'thumbnail') ?? raw.find((r) => r.role === 'preview');
  const fullRef = raw.find((r) => r.role === 'preview') ?? thumbRef;
  const thumb = usePng(thumbRef);
  const [open, setOpen] = useState(false);
  const [zoom, setZoom] = useState(1);
  const full = usePng(open ? fullRef : undefined);
  const { width, height, overlays } = previewFrame(scan, found);
  const label = `X-ray image ${scan.payload.scanId}${overlays.length ? `, ${overlays.length} threat region(s)` : ''}`;
  const frames = (scan.extensions as { dicos?: { frames?: number } } | undefined)?.dicos?.frames;
  if (thumb.error) return <div class="xray-thumb placeholder">{thumb.error}</div>;
  return (
    <div class="xray-preview">
      <button
        type="button"
        class="xray-frame"
        style={{ '--aspect': String(width / height) }}
        onClick={() => {
          setZoom(1);
          setOpen(true);
        }}
        aria-label={`${label}: open the full view`}
      >
        {thumb.url ? <img class="xray-img" src={thumb.url} alt={label} /> : <span class="xray-thumb placeholder">loading image…</span>}
        {thumb.url && <Regions overlays={overlays} width={width} height={height} />}
      </button>
      {frames !== undefined && frames > 1 && <p class="muted">CT volume: {frames} slices, middle slice shown</p>}
      {open && (
        <div
          class="xray-full"
          role="dialog"
          aria-modal="true"
          aria-label={`Full view of ${label}`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <div class="xray-full-bar">
            <button type="button" onClick={() => setZoom((z) => Math.max(0.25, z / 1.5))} aria-label="Zoom out">
              −
            </button>
            <span>{Math.round(zoom * 100)} %</span>
            <button type="button" onClick={() => setZoom((z) => Math.min(16, z * 1.5))} aria-label="Zoom in">
              +
            </button>
            <button type="button" onClick={() => setZoom(1)}>
              Fit
            </button>
            <button type="button" onClick={() => setOpen(false)} autoFocus>
              Close
            </button>
          </div>
          <div
            class="xray-full-scroll"
            onWheel={(e) => {
              e.preventDefault();
              setZoom((z) => Math.min(16, Math.max(0.25, z * (e.deltaY < 0 ? 1.2 : 1 / 1.2))));
            }}
          >
            <div class="xray-full-image" style={{ width: `${zoom * 100}%` }}>
              {full.url ? <img class="xray-img" src={full.url} alt={label} /> : <span class="muted">{full.error ?? 'loading full view…'}</span>}
              {full.url && <Regions overlays={overlays} width={width} height={height} />}
            </div>
          </div>
          {overlays.length > 0 && (
            <ul class="findings">
              {overlays.map((o, i) => (
                <li key={i}>{o.label}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
