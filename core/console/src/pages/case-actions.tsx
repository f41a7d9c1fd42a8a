import type { InspectionCase } from '@customs-hub/sdk';
import { useState } from 'preact/hooks';
import { api } from '../api.js';

/** Refer a case to inspection, and record what the inspection found. */
export function CaseActions({ c, onChange }: { c: InspectionCase; onChange: (c: InspectionCase) => void }) {
  const [reason, setReason] = useState('');
  const [violation, setViolation] = useState<'yes' | 'no' | ''>('');
  const [findings, setFindings] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<InspectionCase>) => {
    setBusy(true);
    try {
      onChange(await action());
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const refer = (e: Event) => {
    e.preventDefault();
    void run(() => api.refer(c.id, reason.trim() || 'referred from the console'));
  };
  const record = (e: Event) => {
    e.preventDefault();
    if (!violation) {
      setError('Choose whether a violation was found.');
      return;
    }
    void run(() => api.outcome(c.id, { violation: violation === 'yes', ...(findings.trim() ? { findings: findings.trim() } : {}) }));
  };
  return (
    <div class="actions">
      {c.referral ? (
        <p>
          Referred by {c.referral.by}: {c.referral.reason}
        </p>
      ) : (
        !c.outcome && (
          <form class="panel" onSubmit={refer} aria-labelledby="refer-title">
            <h3 id="refer-title">Refer to inspection</h3>
            <label for="refer-reason">Reason (optional)</label>
            <input id="refer-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
            <button type="submit" disabled={busy}>
              Refer
            </button>
          </form>
        )
      )}
      {c.outcome ? (
        <p class="outcome" data-testid="outcome">
          Outcome: <strong>{c.outcome.violation ? 'violation found' : 'no violation'}</strong>
          {c.outcome.findings ? ` — ${c.outcome.findings}` : ''}
          {c.outcome.officer ? ` (${c.outcome.officer})` : ''}
        </p>
      ) : (
        <form class="panel" onSubmit={record} aria-labelledby="outcome-title">
          <h3 id="outcome-title">Record the inspection outcome</h3>
          <fieldset>
            <legend>Violation found?</legend>
            <label>
              <input type="radio" name="violation" value="yes" checked={violation === 'yes'} onChange={() => setViolation('yes')} /> Yes
            </label>
            <label>
              <input type="radio" name="violation" value="no" checked={violation === 'no'} onChange={() => setViolation('no')} /> No
            </label>
          </fieldset>
          <label for="findings">Findings</label>
          <textarea id="findings" rows={3} value={findings} onInput={(e) => setFindings((e.target as HTMLTextAreaElement).value)} />
          <button type="submit" disabled={busy}>
            Record outcome
          </button>
        </form>
      )}
      <p class="error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}
