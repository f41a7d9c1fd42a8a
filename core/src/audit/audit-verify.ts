import type { Database } from '../storage/database.js';
import { entryHash, GENESIS, type AuditRow } from './audit-entry.js';
import { AUDIT_CHECKPOINT_EVENT } from './audit-checkpointer.js';
import { checkSignature, type SignedCheckpoint } from './audit-signer.js';

export type ProblemKind = 'edited' | 'deleted' | 'reordered' | 'renumbered' | 'checkpoint-mismatch' | 'truncated' | 'bad-signature' | 'untrusted-key';

export interface VerifyProblem {
  /** The first entry (audit seq) that does not match. */
  seq: number;
  kind: ProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  /** Signed checkpoints the chain was checked against. */
  checkpoints: number;
  problem: VerifyProblem | null;
}

export interface VerifyOptions {
  /** Public keys (raw base64url) whose checkpoints are trusted; unset: any key that signed (signature still checked). */
  trustedKeys?: string[];
  /** Checkpoints held elsewhere (the central system's copy), beside those in this database. */
  extraCheckpoints?: SignedCheckpoint[];
  pageSize?: number;
}

/** Signed checkpoints kept in the database: the table and the feed's copies. */
async function storedCheckpoints(db: Database, checkpoint: string): Promise<SignedCheckpoint[]> {
  const rows = await db.knex('audit_checkpoints').where({ checkpoint });
  const fromTable = rows.map((r) => ({
    checkpoint: r.checkpoint,
    seq: Number(r.seq),
    hash: r.hash,
    at: r.at,
    keyId: r.key_id,
    publicKey: r.public_key,
    signature: r.signature,
  }));
  const events = await db.knex('events').select('data').where({ checkpoint, type: AUDIT_CHECKPOINT_EVENT });
  return [...fromTable, ...events.map((e) => JSON.parse(e.data) as SignedCheckpoint)];
}

/**
 * Walks a checkpoint's chain in sequence order and names the first entry that does not match: its content
 * does not give its hash (edited), it does not link to the entry before it (deleted, or moved: reordered),
 * or a signed checkpoint says another hash at its sequence (the chain was rewritten from there) or a longer
 * chain (entries deleted from the end).
 */
export async function verifyAudit(db: Database, checkpoint: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const signed = [...(await storedCheckpoints(db, checkpoint)), ...(options.extraCheckpoints ?? []).filter((c) => c.checkpoint === checkpoint)];
  const bySeq = new Map<number, SignedCheckpoint[]>();
  for (const c of signed) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const result: VerifyResult = { ok: true, entries: 0, head: null, checkpoints: 0, problem: null };
  const fail = (seq: number, kind: ProblemKind, message: string): VerifyResult => ({ ...result, ok: false, problem: { seq, kind, message } });
  for (const c of signed) {
    if (!checkSignature(c)) return fail(c.seq, 'bad-signature', `the checkpoint signed at seq ${c.seq} (${c.at}) has an invalid signature`);
    if (options.trustedKeys && !options.trustedKeys.includes(c.publicKey))
      return fail(c.seq, 'untrusted-key', `the checkpoint at seq ${c.seq} is signed by key ${c.keyId}, which is not this hub's`);
  }
  const page = options.pageSize ?? 1000;
  let prevHash = GENESIS;
  let prevSeq = 0;
  for (;;) {
    const rows = (await db.knex('audit_log').select('*').where({ checkpoint }).andWhere('seq', '>', prevSeq).orderBy('seq').limit(page)) as AuditRow[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      const { hash: _stored, seq: _s, ...content } = r;
      if (entryHash(content) !== r.hash)
        return fail(seq, 'edited', `entry ${seq} (${r.action} ${r.object_type} ${r.object_id}) was edited: its content does not match its hash`);
      if (r.prev_hash !== prevHash) {
        const moved = await db.knex('audit_log').select('seq').where({ checkpoint, hash: r.prev_hash }).first();
        if (moved)
          return fail(
            seq,
            'reordered',
            `entry ${seq} (${r.action} ${r.object_type} ${r.object_id}) is out of order: it follows entry ${Number(moved.seq)}, not entry ${prevSeq}`,
          );
        return fail(
          seq,
          'deleted',
          `entry ${seq} (${r.action} ${r.object_type} ${r.object_id}) does not follow entry ${prevSeq}: the entry before it was deleted (or entry ${prevSeq} rewritten)`,
        );
      }
      if (seq !== prevSeq + 1) return fail(seq, 'renumbered', `entry ${seq} follows entry ${prevSeq} in the chain, but the numbers skip: rows were renumbered`);
      for (const c of bySeq.get(seq) ?? []) {
        if (c.hash !== r.hash)
          return fail(seq, 'checkpoint-mismatch', `entry ${seq} does not match the checkpoint signed at ${c.at}: the chain was rewritten up to here`);
        result.checkpoints++;
      }
      prevHash = r.hash;
      prevSeq = seq;
      result.entries++;
    }
  }
  result.head = prevSeq > 0 ? { seq: prevSeq, hash: prevHash } : null;
  const beyond = signed.filter((c) => c.seq > prevSeq).sort((a, b) => a.seq - b.seq)[0];
  if (beyond)
    return fail(
      prevSeq + 1,
      'truncated',
      `entries ${prevSeq + 1} to ${beyond.seq} are missing: a checkpoint signed at ${beyond.at} covers seq ${beyond.seq}, the log ends at ${prevSeq}`,
    );
  return result;
}
