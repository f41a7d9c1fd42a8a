import type { Knex } from 'knex';

export const name = '010-scoring-policy';

/** The live scoring policy when it was changed through the API (approved by a second supervisor): it wins over the file's. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scoring_policy', (t) => {
    t.string('checkpoint', 64).primary();
    t.text('policy').notNullable();
    t.string('changed_at', 40).notNullable();
    t.string('changed_by', 200).notNullable();
    t.string('approval', 64);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('scoring_policy');
}
