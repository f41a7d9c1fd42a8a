import type { Knex } from 'knex';

export const name = '009-central-watchlists';

/**
 * The watchlists the central system sent this checkpoint (over the national downlink): the newest snapshot only,
 * with its version and hash. The audit log records every version applied (`watchlist.received`: version, hash, counts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('central_watchlists', (t) => {
    t.string('checkpoint', 64).primary();
    t.integer('version').notNullable();
    t.string('sha256', 64).notNullable();
    t.text('lists').notNullable();
    t.string('issued_at', 40);
    t.string('applied_at', 40).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('central_watchlists');
}
