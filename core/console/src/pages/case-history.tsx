import { useEffect, useState } from 'preact/hooks';
import { api, type Approval, type AuditEntry } from '../api.js';
import { dateTime } from '../format.js';

const LABELS: Record<string, string> = {
  'case.referred': 'referred to inspection',
  'case.outcome': 'recorded the outcome',
  'case.released': 'released',
  'approval.requested': 'asked a supervisor to approve',
  'approval.approved': 'approved',
  'approval.rejected': 'rejected',
};

function describe(e: AuditEntry): string {
  const after = (e.after ?? {}) as { outcome?: { violation?: boolean; findings?: string }; referral?: { reason?: string }; action?: string; note?: string };
  if (e.action === 'case.outcome' && after.outcome)
    return `${after.outcome.violation ? 'violation found' : 'no violation'}${after.outcome.findings ? ` — ${after.outcome.findings}` : ''}`;
  if (e.action === 'case.referred' && after.referral?.reason) return after.referral.reason;
  if (e.action.startsWith('approval.') && after.note) return after.note;
  return '';
}

/**
 * Who did what to the case, from the audit log (officers, supervisors, the policy), and the four-eyes
 * requests still waiting: a supervisor other than the requester approves them here.
 */
export function CaseHistory({ id, version, onChange }: { id: string; version: string; onChange: () => void }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [approvals, setApprovals] = useState<Approval[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      const h = await api.history(id);
      setEntries(h.entries);
      setApprovals(h.approvals);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [id, version]);
  const decide = async (a: Approval, approve: boolean) => {
    try {
      await api.decide(a.id, approve);
      setError(null);
      onChange();
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pending = approvals.filter((a) => a.state === 'pending');
  return (
    <section aria-labelledby="history-title" class="history">
      <h2 id="history-title">History</h2>
      {pending.map((a) => (
        <div class="banner" data-testid="pending-approval" key={a.id}>
          Waiting for a second person (supervisor): {a.reason ?? a.action}, asked by {a.requestedBy.subject} {dateTime(a.requestedAt)}.{' '}
          <button type="button" onClick={() => void decide(a, true)}>
            Approve
          </button>{' '}
          <button type="button" onClick={() => void decide(a, false)}>
            Reject
          </button>
        </div>
      ))}
      {entries === null ? (
        <p class="muted">Loading history…</p>
      ) : entries.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <ol class="history-list" data-testid="case-history">
          {entries.map((e) => (
            <li key={e.seq}>
              <span class="muted">{dateTime(e.at)}</span> <strong>{e.actor.subject}</strong>{' '}
              <span class="muted">
                ({e.actor.role}
                {e.actor.source && e.actor.source !== 'hub' ? `, ${e.actor.source}` : ''})
              </span>{' '}
              {LABELS[e.action] ?? e.action}
              {describe(e) ? `: ${describe(e)}` : ''}
            </li>
          ))}
        </ol>
      )}
      <p class="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}
