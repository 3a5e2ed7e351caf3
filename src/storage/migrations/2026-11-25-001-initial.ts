/** Frozen: never edit a migration that has shipped; add a new one. */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const ms = 'bigint';

  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', ms)
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_org').on('users').column('organization_id').execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('last_used_at', ms)
    .addColumn('revoked_at', ms)
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('modules', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_org').on('orders').column('organization_id').execute();

  await db.schema
    .createTable('license_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('quota', 'bigint', (c) => c.notNull())
    .addColumn('refresh_interval_s', 'integer', (c) => c.notNull())
    .addColumn('valid_from', ms, (c) => c.notNull())
    .addColumn('valid_to', ms, (c) => c.notNull())
    .addColumn('modules', 'text', (c) => c.notNull())
    .addColumn('takes_per_period', 'integer')
    .addColumn('take_period_days', 'integer')
    .addColumn('device_grace_pct', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('license_items_org').on('license_items').column('organization_id').execute();

  await db.schema
    .createTable('activation_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('license_item_id', 'text', (c) => c.notNull().references('license_items.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('max_activations', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('activation_codes_item')
    .on('activation_codes')
    .column('license_item_id')
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('usage_order', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_org').on('projects').column('organization_id').execute();

  await db.schema
    .createTable('project_items')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('license_item_id', 'text', (c) => c.notNull().references('license_items.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_items_pk', ['project_id', 'license_item_id'])
    .execute();
  await db.schema.createIndex('project_items_item').on('project_items').column('license_item_id').execute();

  await db.schema
    .createTable('activations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('license_item_id', 'text', (c) => c.notNull().references('license_items.id'))
    .addColumn('activation_code_id', 'text', (c) => c.notNull().references('activation_codes.id'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text')
    .addColumn('email', 'text')
    .addColumn('version', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('last_seen_at', ms, (c) => c.notNull())
    .addColumn('deactivated_at', ms)
    .addColumn('deactivated_by', 'text')
    .execute();
  // One live activation per machine and code; enforced by the database so it holds across processes.
  await db.schema
    .createIndex('activations_live_machine')
    .on('activations')
    .columns(['activation_code_id', 'fingerprint'])
    .unique()
    .where(sql.ref('deactivated_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('activations_item_fp')
    .on('activations')
    .columns(['license_item_id', 'fingerprint'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('license_item_id', 'text', (c) => c.notNull().references('license_items.id'))
    .addColumn('activation_code_id', 'text')
    .addColumn('project_id', 'text')
    .addColumn('activation_id', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('program', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('holds_seat', 'integer', (c) => c.notNull())
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('renewed_at', ms, (c) => c.notNull())
    .addColumn('lease_expires_at', ms, (c) => c.notNull())
    .addColumn('ended_at', ms)
    .addColumn('end_reason', 'text')
    .execute();
  // Seat counting: live seat holders of an item.
  await db.schema
    .createIndex('sessions_item_seats')
    .on('sessions')
    .columns(['license_item_id', 'lease_expires_at'])
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('sessions_org_started')
    .on('sessions')
    .columns(['organization_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('sessions_item_started')
    .on('sessions')
    .columns(['license_item_id', 'started_at'])
    .execute();

  if (sqlite) {
    await sql`create table usage_events (
      id integer primary key autoincrement,
      organization_id text not null,
      license_item_id text not null,
      project_id text,
      activation_code_id text,
      activation_id text,
      session_id text,
      kind text not null,
      count bigint not null,
      at bigint not null,
      received_at bigint not null,
      email text,
      fingerprint text,
      batch_id text
    )`.execute(db);
  } else {
    await sql`create table usage_events (
      id bigint generated always as identity primary key,
      organization_id text not null,
      license_item_id text not null,
      project_id text,
      activation_code_id text,
      activation_id text,
      session_id text,
      kind text not null,
      count bigint not null,
      at bigint not null,
      received_at bigint not null,
      email text,
      fingerprint text,
      batch_id text
    )`.execute(db);
  }
  await db.schema
    .createIndex('usage_events_item_at')
    .on('usage_events')
    .columns(['license_item_id', 'at'])
    .execute();
  await db.schema
    .createIndex('usage_events_item_kind_received')
    .on('usage_events')
    .columns(['license_item_id', 'kind', 'received_at'])
    .execute();
  await db.schema
    .createIndex('usage_events_org_at')
    .on('usage_events')
    .columns(['organization_id', 'at'])
    .execute();

  await db.schema
    .createTable('usage_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('received_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('usage_rollups')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('license_item_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('bucket', ms, (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_rollups_pk', ['license_item_id', 'kind', 'bucket', 'project_id'])
    .execute();

  await db.schema
    .createTable('device_presence')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('license_item_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('bucket', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('device_presence_pk', ['license_item_id', 'bucket', 'project_id', 'fingerprint'])
    .execute();

  await db.schema
    .createTable('stats_baselines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('license_item_id', 'text')
    .addColumn('activation_code_id', 'text')
    .addColumn('reset_at', ms, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .execute();
  await db.schema
    .createIndex('stats_baselines_org')
    .on('stats_baselines')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('details', 'text')
    .addColumn('at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_org_at')
    .on('audit_log')
    .columns(['organization_id', 'at'])
    .execute();

  await db.schema
    .createTable('server_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'counters',
    'server_keys',
    'audit_log',
    'stats_baselines',
    'device_presence',
    'usage_rollups',
    'usage_batches',
    'usage_events',
    'sessions',
    'activations',
    'project_items',
    'projects',
    'activation_codes',
    'license_items',
    'orders',
    'products',
    'api_tokens',
    'auth_sessions',
    'users',
    'organizations',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
