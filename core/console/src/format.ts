import type { Conveyance } from '@customs-hub/sdk';

/** "12 s ago", "4 min ago", "3 h ago"; null as "never". */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function clock(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
}

/** Container numbers and plates, as an officer reads them. */
export function conveyanceLabel(c: Conveyance | undefined): string {
  if (!c) return 'unidentified';
  const ids = [...c.containers.map((x) => (x.valid ? x.number : `${x.number} (check digit wrong)`)), ...c.plates.map((p) => p.number)];
  if (c.itemId) ids.push(c.itemId);
  return ids.length ? ids.join(', ') : 'unidentified';
}

/** Evidence values as "key: value" text. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? v.map(valueText).join(', ') : 'none';
  return JSON.stringify(v);
}

export const KIND_LABELS: Record<string, string> = {
  'radiation.passage': 'RPM passage',
  'radiation.spectrum': 'spectrum',
  'radiation.dose-rate': 'dose rate',
  'radiation.gross-count': 'gross counts',
  'radiation.nuclide-id': 'nuclide ID',
  'xray.scan': 'X-ray scan',
  'xray.threat-report': 'threat report',
  weight: 'weight',
  identification: 'identification',
  'device.event': 'device event',
  telemetry: 'telemetry',
};
