import type { Knex } from 'knex';

export const name = '001-observations';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('observations', (t) => {
    t.string('id', 36).primary();
    t.string('checkpoint', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('device_id', 64).notNullable();
    t.string('lane', 64).nullable();
    t.string('kind', 40).notNullable();
    t.string('source_id', 200).nullable();
    t.string('device_time', 40).notNullable();
    t.string('received_at', 40).notNullable();
    t.boolean('alarm').notNullable();
    // Space-delimited identifiers (" CSQU3054383 MSCU1234566 ") so a conveyance filter is one LIKE.
    t.string('identifiers', 500).notNullable();
    t.text('body').notNullable();
    t.unique(['checkpoint', 'seq']);
    t.unique(['device_id', 'source_id']);
    t.index(['checkpoint', 'lane', 'device_time']);
    t.index(['device_id', 'seq']);
  });
  await knex.schema.createTable('events', (t) => {
    t.string('id', 36).primary();
    t.string('checkpoint', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('type', 100).notNullable();
    t.string('subject', 200).notNullable();
    t.string('time', 40).notNullable();
    t.text('data').notNullable();
    t.unique(['checkpoint', 'seq']);
  });
  await knex.schema.createTable('dead_letters', (t) => {
    t.string('id', 36).primary();
    t.string('checkpoint', 64).notNullable();
    t.string('device_id', 64).notNullable();
    t.string('plugin', 100).notNullable();
    t.string('received_at', 40).notNullable();
    t.text('reason').notNullable();
    t.text('draft').notNullable();
    t.index(['device_id', 'received_at']);
  });
  await knex.schema.createTable('device_status', (t) => {
    t.string('device_id', 64).primary();
    t.string('checkpoint', 64).notNullable();
    t.string('updated_at', 40).notNullable();
    t.text('body').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['device_status', 'dead_letters', 'events', 'observations']) await knex.schema.dropTableIfExists(table);
}
