import type { Knex } from 'knex';

export const name = '005-declaration-risk';

/**
 * Declaration v2: the declaration's own date (the risk model's time axis), inspection outcomes per
 * declaration (the model's labels, from officers or imported history), and the model artefacts.
 * v1 bodies already stored stay as they are and are migrated to v2 when read.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('declarations', (t) => {
    // YYYY-MM-DD or a date-time; the receipt time when the declaration carries no date.
    t.string('declared_at', 40).nullable();
    t.index(['checkpoint', 'declared_at']);
  });
  await knex('declarations').update({ declared_at: knex.ref('received_at') });
  await knex.schema.createTable('declaration_outcomes', (t) => {
    t.string('checkpoint', 64).notNullable();
    t.string('number', 64).notNullable();
    t.boolean('violation').notNullable();
    // 0 none, 1 a violation, 2 a critical one (a threat to public safety).
    t.integer('severity').notNullable();
    // When the result became known to the hub: history features only use outcomes known before a declaration's date.
    t.string('recorded_at', 40).notNullable();
    t.string('source', 20).notNullable();
    t.string('case_id', 36).nullable();
    t.primary(['checkpoint', 'number']);
  });
  await knex.schema.createTable('risk_models', (t) => {
    t.string('id', 40).primary();
    t.string('checkpoint', 64).notNullable();
    t.string('kind', 40).notNullable();
    // shadow → live → retired; at most one live per checkpoint and kind.
    t.string('status', 10).notNullable();
    t.string('sha256', 64).notNullable();
    t.string('created_at', 40).notNullable();
    t.string('promoted_at', 40).nullable();
    t.string('retired_at', 40).nullable();
    t.string('trained_from', 40).notNullable();
    t.string('trained_until', 40).notNullable();
    t.integer('rows').notNullable();
    // Summary (features, metrics, window) as JSON; the artefact itself (trees, history tables) in `artefact`.
    t.text('summary').notNullable();
    t.text('artefact').notNullable();
    t.index(['checkpoint', 'kind', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('risk_models');
  await knex.schema.dropTableIfExists('declaration_outcomes');
  await knex.schema.alterTable('declarations', (t) => {
    t.dropIndex(['checkpoint', 'declared_at']);
    t.dropColumn('declared_at');
  });
}
