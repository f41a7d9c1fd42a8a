import type { Knex } from 'knex';
import * as m001 from './001-observations.js';
import * as m002 from './002-api-tokens-outbox.js';
import * as m003 from './003-cases.js';
import * as m004 from './004-uncorrelated-observations.js';
import * as m005 from './005-declaration-risk.js';
import * as m006 from './006-audit.js';
import * as m007 from './007-data-lifecycle.js';
import * as m008 from './008-correlator-state.js';
import * as m009 from './009-central-watchlists.js';
import * as m010 from './010-scoring-policy.js';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const migrations: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010];

/** Migrations compiled into the hub, so SQLite and PostgreSQL run exactly the same ones. */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};
