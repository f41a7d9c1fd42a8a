import type { Knex } from 'knex';

export const name = '004-uncorrelated-observations';

/**
 * Observations of a case kind that belong to no case (an empty weighbridge deck, a handheld reading naming
 * no known container), with the reason: every such observation is in a case or here, never only in memory.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('uncorrelated_observations', (t) => {
    t.string('observation_id', 36).primary();
    t.string('checkpoint', 64).notNullable();
    t.string('lane', 64).nullable();
    t.string('device_id', 64).notNullable();
    t.string('reason', 300).notNullable();
    t.string('recorded_at', 40).notNullable();
    t.index(['checkpoint', 'recorded_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('uncorrelated_observations');
}
