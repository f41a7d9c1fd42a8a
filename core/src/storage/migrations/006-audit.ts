import type { Knex } from 'knex';

export const name = '006-audit';

/** The audit log (a hash chain per checkpoint), its signed checkpoints, four-eyes approvals, and a role per API token. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.string('checkpoint', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('id', 36).notNullable();
    t.string('at', 40).notNullable();
    t.string('subject', 200).notNullable();
    t.string('role', 40).notNullable();
    t.string('client', 120).notNullable();
    t.string('source', 100).notNullable();
    t.string('action', 60).notNullable();
    t.string('object_type', 40).notNullable();
    t.string('object_id', 200).notNullable();
    // JSON texts exactly as hashed.
    t.text('before').nullable();
    t.text('after').nullable();
    t.text('details').nullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.primary(['checkpoint', 'seq']);
    t.index(['checkpoint', 'object_type', 'object_id']);
    t.index(['checkpoint', 'at']);
  });
  await knex.schema.createTable('audit_checkpoints', (t) => {
    t.string('checkpoint', 64).notNullable();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
    t.string('at', 40).notNullable();
    t.string('key_id', 64).notNullable();
    t.string('public_key', 200).notNullable();
    t.string('signature', 200).notNullable();
    t.primary(['checkpoint', 'seq']);
  });
  await knex.schema.createTable('approvals', (t) => {
    t.string('id', 36).primary();
    t.string('checkpoint', 64).notNullable();
    t.string('action', 60).notNullable();
    t.string('object_type', 40).notNullable();
    t.string('object_id', 200).notNullable();
    t.string('state', 20).notNullable();
    t.string('requested_by', 200).notNullable();
    t.string('requested_at', 40).notNullable();
    t.string('decided_by', 200).nullable();
    t.string('decided_at', 40).nullable();
    t.text('body').notNullable();
    t.index(['checkpoint', 'state']);
    t.index(['checkpoint', 'object_type', 'object_id']);
  });
  await knex.schema.alterTable('api_tokens', (t) => {
    t.string('role', 40).notNullable().defaultTo('machine');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.dropColumn('role');
  });
  for (const table of ['approvals', 'audit_checkpoints', 'audit_log']) await knex.schema.dropTableIfExists(table);
}
