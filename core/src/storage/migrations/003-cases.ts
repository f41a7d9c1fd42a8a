import type { Knex } from 'knex';

export const name = '003-cases';

/** Declarations, inspection cases and their observations; the case body is the InspectionCase JSON. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('declarations', (t) => {
    t.string('number', 64).notNullable();
    t.string('checkpoint', 64).notNullable();
    t.string('received_at', 40).notNullable();
    // Space-delimited containers and plates (" CSQU3054383 A123BC "), so a match is one LIKE.
    t.string('identifiers', 1200).notNullable();
    t.text('body').notNullable();
    t.primary(['checkpoint', 'number']);
  });
  await knex.schema.createTable('cases', (t) => {
    t.string('id', 36).primary();
    t.string('checkpoint', 64).notNullable();
    t.string('lane', 64).notNullable();
    t.string('state', 20).notNullable();
    t.string('channel', 10).nullable();
    t.float('score').nullable();
    t.string('opened_at', 40).notNullable();
    t.string('updated_at', 40).notNullable();
    t.string('declaration_number', 64).nullable();
    t.string('identifiers', 500).notNullable();
    // Feed seq of the observation that opened the case: correlation replays from there after a restart.
    t.bigInteger('first_seq').notNullable();
    t.text('body').notNullable();
    t.index(['checkpoint', 'state']);
    t.index(['checkpoint', 'lane', 'opened_at']);
  });
  await knex.schema.createTable('case_observations', (t) => {
    t.string('case_id', 36).notNullable();
    t.string('observation_id', 36).notNullable();
    t.primary(['case_id', 'observation_id']);
    t.index(['observation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['case_observations', 'cases', 'declarations']) await knex.schema.dropTableIfExists(table);
}
