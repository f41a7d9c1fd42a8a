import type { Knex } from 'knex';
import { rawRefRows } from '../raw-refs.js';

export const name = '007-data-lifecycle';

/**
 * Data lifecycle: which raw files each observation references (so retention and backup need not parse
 * bodies), HTTP feed consumers' acknowledged cursors, and hub-wide state (the feed sequence already pruned,
 * so a hub whose every row was pruned never hands out a sequence twice).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('raw_refs', (t) => {
    t.string('observation_id', 36).notNullable();
    t.string('sha256', 64).notNullable();
    t.string('checkpoint', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('kind', 40).notNullable();
    t.string('role', 64).nullable();
    t.bigInteger('size').notNullable();
    t.string('received_at', 40).notNullable();
    // Set when retention deleted the file; the row stays until its observation goes, so reports can say so.
    t.string('pruned_at', 40).nullable();
    t.primary(['observation_id', 'sha256']);
    t.index(['sha256']);
    t.index(['checkpoint', 'pruned_at', 'received_at']);
  });
  await knex.schema.createTable('feed_cursors', (t) => {
    t.string('checkpoint', 64).notNullable();
    t.string('consumer', 64).notNullable();
    t.bigInteger('acked_seq').notNullable();
    t.string('updated_at', 40).notNullable();
    t.primary(['checkpoint', 'consumer']);
  });
  await knex.schema.createTable('hub_state', (t) => {
    t.string('checkpoint', 64).notNullable();
    t.string('key', 64).notNullable();
    t.text('value').notNullable();
    t.primary(['checkpoint', 'key']);
  });
  await backfillRawRefs(knex);
}

/** Existing observations' raw references, read from their bodies in chunks. */
async function backfillRawRefs(knex: Knex): Promise<void> {
  let after = -1;
  for (;;) {
    const rows = await knex('observations')
      .select('id', 'checkpoint', 'seq', 'kind', 'received_at', 'body')
      .where('seq', '>', after)
      .andWhere('body', 'like', '%"raw":%')
      .orderBy('seq')
      .limit(500);
    if (rows.length === 0) return;
    const refs = rows.flatMap((r) =>
      rawRefRows(JSON.parse(r.body), { id: r.id, checkpoint: r.checkpoint, seq: Number(r.seq), kind: r.kind, receivedAt: r.received_at }),
    );
    if (refs.length > 0) await knex('raw_refs').insert(refs).onConflict(['observation_id', 'sha256']).ignore();
    after = Number(rows[rows.length - 1].seq);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['hub_state', 'feed_cursors', 'raw_refs']) await knex.schema.dropTableIfExists(table);
}
