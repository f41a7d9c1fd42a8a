import type { Knex } from 'knex';

export const name = '002-api-tokens-outbox';

export async function up(knex: Knex): Promise<void> {
  // API tokens: only the sha256 of a token is kept, so a copied database grants nothing.
  await knex.schema.createTable('api_tokens', (t) => {
    t.string('id', 36).primary();
    t.string('name', 100).notNullable();
    t.string('hash', 64).notNullable().unique();
    t.text('scopes').notNullable();
    t.string('created_at', 40).notNullable();
    t.string('revoked_at', 40).nullable();
  });
  // Broker delivery: the last feed sequence the broker acknowledged, per checkpoint and target.
  await knex.schema.createTable('outbox_state', (t) => {
    t.string('checkpoint', 64).notNullable();
    t.string('target', 64).notNullable();
    t.bigInteger('acked_seq').notNullable();
    t.bigInteger('dropped').notNullable().defaultTo(0);
    t.string('updated_at', 40).notNullable();
    t.primary(['checkpoint', 'target']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('outbox_state');
  await knex.schema.dropTableIfExists('api_tokens');
}
