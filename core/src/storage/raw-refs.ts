/** The raw_refs rows of one observation (one per distinct file). */
export function rawRefRows(
  body: { raw?: Array<{ sha256: string; size: number; role?: string }> },
  o: { id: string; checkpoint: string; seq: number; kind: string; receivedAt: string },
): Record<string, unknown>[] {
  const seen = new Set<string>();
  const rows: Record<string, unknown>[] = [];
  for (const r of body.raw ?? []) {
    if (!/^[0-9a-f]{64}$/.test(r.sha256) || seen.has(r.sha256)) continue;
    seen.add(r.sha256);
    rows.push({
      observation_id: o.id,
      sha256: r.sha256,
      checkpoint: o.checkpoint,
      seq: o.seq,
      kind: o.kind,
      role: r.role ?? null,
      size: r.size,
      received_at: o.receivedAt,
      pruned_at: null,
    });
  }
  return rows;
}
