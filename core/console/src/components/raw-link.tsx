import type { RawRef } from '@customs-hub/sdk';
import { useState } from 'preact/hooks';
import { fetchRaw } from '../api.js';

/** Downloads a raw file with the token (a plain link could not send it) and saves it under its name. */
export function RawLink({ raw }: { raw: RawRef }) {
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    try {
      const blob = await fetchRaw(raw.sha256);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = raw.name ?? raw.sha256;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <span class="raw-link">
      <button type="button" class="link" onClick={() => void download()}>
        {raw.name ?? `${raw.sha256.slice(0, 12)}…`}
      </button>
      <span class="muted">
        {' '}
        {raw.role ?? raw.contentType ?? 'file'}, {(raw.size / 1024).toFixed(1)} kB
      </span>
      {error && <span class="error"> {error}</span>}
    </span>
  );
}
