import type { Knex } from 'knex';

export const name = '008-correlator-state';

/**
 * What the correlator knew at its last checkpoint: the feed seq it had processed, each lane's clock and the
 * devices' learned timing. Recovery after a crash reads this and the open cases, then replays only what was
 * committed after that seq — start-up no longer grows with the stored history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('correlator_state', (t) => {
    t.string('checkpoint', 64).primary();
    t.bigInteger('processed_seq').notNullable();
    t.text('state').notNullable();
    t.string('saved_at', 40).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('correlator_state');
}
