// Schema: migration 1 creates every table the ten functions need; each table carries tenant_code.
#include "adapters/Schema.h"

namespace chukan {

namespace {

std::vector<Migration> build()
{
    std::vector<Migration> m;
    m.push_back({1, "initial schema",
                 {
                     // Hosted institutions (地方公共団体コード is the tenant key everywhere).
                     "CREATE TABLE IF NOT EXISTS tenants ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " name VARCHAR(200) NOT NULL,"
                     " institution_code VARCHAR(16) NOT NULL,"
                     " status VARCHAR(16) NOT NULL,"
                     " created_at {BIGINT} NOT NULL,"
                     " PRIMARY KEY (tenant_code)){TABLE}",

                     // Business systems allowed to connect: certificate, operations, 事務.
                     "CREATE TABLE IF NOT EXISTS connected_systems ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " system_id VARCHAR(64) NOT NULL,"
                     " name VARCHAR(200) NOT NULL,"
                     " cert_fingerprint VARCHAR(64) NOT NULL,"
                     " operations VARCHAR(1000) NOT NULL,"
                     " jimu_codes VARCHAR(2000) NOT NULL,"
                     " enabled INTEGER NOT NULL,"
                     " created_at {BIGINT} NOT NULL,"
                     " PRIMARY KEY (tenant_code, system_id)){TABLE}",
                     "CREATE UNIQUE INDEX IF NOT EXISTS ux_systems_fp ON connected_systems (tenant_code, cert_fingerprint)",

                     // 符号管理: 統合宛名番号 <-> 符号. 住民票コード is never stored.
                     "CREATE TABLE IF NOT EXISTS fugo_map ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " atena_no VARCHAR(15) NOT NULL,"
                     " fugo VARCHAR(128),"
                     " state VARCHAR(16) NOT NULL,"
                     " requested_at {BIGINT} NOT NULL,"
                     " obtained_at {BIGINT},"
                     " PRIMARY KEY (tenant_code, atena_no)){TABLE}",
                     "CREATE UNIQUE INDEX IF NOT EXISTS ux_fugo ON fugo_map (tenant_code, fugo)",

                     // 副本: every version of every registered item; one row per version.
                     "CREATE TABLE IF NOT EXISTS replica_items ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " record_id VARCHAR(64) NOT NULL,"
                     " version INTEGER NOT NULL,"
                     " atena_no VARCHAR(15) NOT NULL,"
                     " item_code VARCHAR(16) NOT NULL,"
                     " dataset_key VARCHAR(64) NOT NULL,"
                     " payload {BLOB},"
                     " nil_reason VARCHAR(64),"
                     " publish_from {BIGINT},"
                     " publish_to {BIGINT},"
                     " auto_answer INTEGER NOT NULL,"
                     " is_current INTEGER NOT NULL,"
                     " deleted INTEGER NOT NULL,"
                     " source_system VARCHAR(64) NOT NULL,"
                     " updated_at {BIGINT} NOT NULL,"
                     " PRIMARY KEY (tenant_code, record_id, version)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_replica_subject ON replica_items (tenant_code, atena_no, item_code, is_current)",

                     // 情報照会: outgoing inquiries, keyed by 処理通番.
                     "CREATE TABLE IF NOT EXISTS inquiries ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " serial VARCHAR(32) NOT NULL,"
                     " system_id VARCHAR(64) NOT NULL,"
                     " batch_id VARCHAR(64),"
                     " atena_no VARCHAR(15) NOT NULL,"
                     " jimu_code VARCHAR(16) NOT NULL,"
                     " procedure_code VARCHAR(16) NOT NULL,"
                     " item_code VARCHAR(16) NOT NULL,"
                     " provider_code VARCHAR(16) NOT NULL,"
                     " message_id VARCHAR(64),"
                     " state VARCHAR(16) NOT NULL,"
                     " error_code VARCHAR(32),"
                     " error_message VARCHAR(1000),"
                     " result {BLOB},"
                     " requested_at {BIGINT} NOT NULL,"
                     " updated_at {BIGINT} NOT NULL,"
                     " completed_at {BIGINT},"
                     " PRIMARY KEY (tenant_code, serial)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_inquiries_state ON inquiries (tenant_code, state, updated_at)",
                     "CREATE INDEX IF NOT EXISTS ix_inquiries_batch ON inquiries (tenant_code, batch_id)",

                     // 情報提供: incoming provision requests, keyed by the network's message ID.
                     "CREATE TABLE IF NOT EXISTS provision_requests ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " message_id VARCHAR(64) NOT NULL,"
                     " permit_id VARCHAR(64) NOT NULL,"
                     " requester_code VARCHAR(16) NOT NULL,"
                     " jimu_code VARCHAR(16) NOT NULL,"
                     " procedure_code VARCHAR(16) NOT NULL,"
                     " item_code VARCHAR(16) NOT NULL,"
                     " fugo VARCHAR(128) NOT NULL,"
                     " route VARCHAR(500) NOT NULL,"
                     " state VARCHAR(16) NOT NULL,"
                     " outcome VARCHAR(32),"
                     " response {BLOB},"
                     " received_at {BIGINT} NOT NULL,"
                     " answered_at {BIGINT},"
                     " PRIMARY KEY (tenant_code, message_id)){TABLE}",
                     "CREATE UNIQUE INDEX IF NOT EXISTS ux_provision_permit ON provision_requests (tenant_code, permit_id)",

                     // 自動応答不可: held provisions awaiting a reviewer.
                     "CREATE TABLE IF NOT EXISTS holds ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " hold_id VARCHAR(64) NOT NULL,"
                     " message_id VARCHAR(64) NOT NULL,"
                     " reason VARCHAR(200) NOT NULL,"
                     " state VARCHAR(16) NOT NULL,"
                     " deadline {BIGINT} NOT NULL,"
                     " created_at {BIGINT} NOT NULL,"
                     " first_reviewer VARCHAR(64),"
                     " decided_by VARCHAR(64),"
                     " decided_at {BIGINT},"
                     " decision_reason VARCHAR(200),"
                     " PRIMARY KEY (tenant_code, hold_id)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_holds_state ON holds (tenant_code, state, deadline)",

                     // 情報提供等記録: hash-chained per tenant; seq is the chain position.
                     "CREATE TABLE IF NOT EXISTS provision_records ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " seq {BIGINT} NOT NULL,"
                     " kind VARCHAR(16) NOT NULL,"
                     " requester_code VARCHAR(16) NOT NULL,"
                     " provider_code VARCHAR(16) NOT NULL,"
                     " jimu_code VARCHAR(16) NOT NULL,"
                     " procedure_code VARCHAR(16) NOT NULL,"
                     " item_code VARCHAR(16) NOT NULL,"
                     " subject_fugo VARCHAR(128) NOT NULL,"
                     " subject_atena VARCHAR(15) NOT NULL,"
                     " requested_at {BIGINT} NOT NULL,"
                     " provided_at {BIGINT},"
                     " outcome VARCHAR(32) NOT NULL,"
                     " reason VARCHAR(200) NOT NULL,"
                     " nondisclosure INTEGER NOT NULL,"
                     " ref_id VARCHAR(64) NOT NULL,"
                     " created_at {BIGINT} NOT NULL,"
                     " prev_hash VARCHAR(64) NOT NULL,"
                     " hash VARCHAR(64) NOT NULL,"
                     " PRIMARY KEY (tenant_code, seq)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_records_atena ON provision_records (tenant_code, subject_atena)",
                     "CREATE INDEX IF NOT EXISTS ix_records_created ON provision_records (tenant_code, created_at)",

                     // Staff audit log: hash-chained per tenant like the records.
                     "CREATE TABLE IF NOT EXISTS audit_log ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " seq {BIGINT} NOT NULL,"
                     " staff_id VARCHAR(64) NOT NULL,"
                     " at {BIGINT} NOT NULL,"
                     " operation VARCHAR(64) NOT NULL,"
                     " target VARCHAR(200) NOT NULL,"
                     " outcome VARCHAR(32) NOT NULL,"
                     " detail VARCHAR(500) NOT NULL,"
                     " prev_hash VARCHAR(64) NOT NULL,"
                     " hash VARCHAR(64) NOT NULL,"
                     " PRIMARY KEY (tenant_code, seq)){TABLE}",

                     // Batch jobs (bulk inquiries, imports, retention): leased by one node at a time.
                     "CREATE TABLE IF NOT EXISTS batch_jobs ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " job_id VARCHAR(64) NOT NULL,"
                     " kind VARCHAR(32) NOT NULL,"
                     " state VARCHAR(16) NOT NULL,"
                     " total {BIGINT} NOT NULL,"
                     " done {BIGINT} NOT NULL,"
                     " failed {BIGINT} NOT NULL,"
                     " error VARCHAR(1000),"
                     " owner_node VARCHAR(64),"
                     " lease_until {BIGINT},"
                     " created_at {BIGINT} NOT NULL,"
                     " updated_at {BIGINT} NOT NULL,"
                     " PRIMARY KEY (tenant_code, job_id)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_jobs_state ON batch_jobs (tenant_code, state)",
                 }});
    m.push_back({2, "hash chain anchors",
                 {
                     // Where a purged hash chain (provision_records, audit_log) continues: the last
                     // purged seq and its hash; the first remaining row's prev_hash links to it.
                     "CREATE TABLE IF NOT EXISTS chain_anchors ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " chain VARCHAR(64) NOT NULL,"
                     " seq {BIGINT} NOT NULL,"
                     " hash VARCHAR(64) NOT NULL,"
                     " purged_at {BIGINT} NOT NULL,"
                     " PRIMARY KEY (tenant_code, chain)){TABLE}",
                 }});
    m.push_back({3, "outbox of messages to the network",
                 {
                     // Messages that must reach the network at least once (the receiver dedups by
                     // message_id): written with the state change that causes them, drained by
                     // the OutboxSender of whichever node claims them first.
                     "CREATE TABLE IF NOT EXISTS outbox ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " message_id VARCHAR(64) NOT NULL,"
                     " kind VARCHAR(32) NOT NULL,"
                     " destination VARCHAR(64) NOT NULL,"
                     " body {BLOB} NOT NULL,"
                     " state VARCHAR(16) NOT NULL,"
                     " attempts INTEGER NOT NULL,"
                     " next_attempt_at {BIGINT} NOT NULL,"
                     " last_error VARCHAR(500),"
                     " created_at {BIGINT} NOT NULL,"
                     " sent_at {BIGINT},"
                     " PRIMARY KEY (tenant_code, message_id)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox (tenant_code, state, next_attempt_at)",
                 }});
    m.push_back({4, "provision requests keep the requester's 処理通番",
                 {
                     "sqlite:ALTER TABLE provision_requests ADD COLUMN serial VARCHAR(32) NOT NULL DEFAULT ''",
                     "mariadb:ALTER TABLE provision_requests ADD COLUMN IF NOT EXISTS serial VARCHAR(32) NOT NULL DEFAULT ''",
                 }});
    m.push_back({5, "bulk inquiry files: the upload's key, digest and report on its batch job",
                 {
                     // A bulk 情報照会 file is one batch_jobs row (kind bulk-inquiry); a retried upload
                     // (same Idempotency-Key, else same file digest) finds it and gets the same report.
                     "sqlite:ALTER TABLE batch_jobs ADD COLUMN system_id VARCHAR(64)",
                     "sqlite:ALTER TABLE batch_jobs ADD COLUMN idempotency_key VARCHAR(128)",
                     "sqlite:ALTER TABLE batch_jobs ADD COLUMN file_digest VARCHAR(64)",
                     "sqlite:ALTER TABLE batch_jobs ADD COLUMN report {BLOB}",
                     "mariadb:ALTER TABLE batch_jobs ADD COLUMN IF NOT EXISTS system_id VARCHAR(64)",
                     "mariadb:ALTER TABLE batch_jobs ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(128)",
                     "mariadb:ALTER TABLE batch_jobs ADD COLUMN IF NOT EXISTS file_digest VARCHAR(64)",
                     "mariadb:ALTER TABLE batch_jobs ADD COLUMN IF NOT EXISTS report {BLOB}",
                 }});
    m.push_back({6, "hash chain heads; audit retention index",
                 {
                     // The last seq of each chain and its hash, moved in the same transaction as
                     // every append: verify compares the end of the chain with it (truncation).
                     "CREATE TABLE IF NOT EXISTS chain_heads ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " chain VARCHAR(64) NOT NULL,"
                     " seq {BIGINT} NOT NULL,"
                     " hash VARCHAR(64) NOT NULL,"
                     " PRIMARY KEY (tenant_code, chain)){TABLE}",
                     // Chains written before this migration: their head is their last row, or the
                     // checkpoint when every row was purged.
                     "INSERT INTO chain_heads (tenant_code, chain, seq, hash)"
                     " SELECT r.tenant_code, 'provision_records', r.seq, r.hash FROM provision_records r"
                     " WHERE r.seq = (SELECT MAX(m.seq) FROM provision_records m WHERE m.tenant_code = r.tenant_code)"
                     " AND NOT EXISTS (SELECT 1 FROM chain_heads h WHERE h.tenant_code = r.tenant_code"
                     " AND h.chain = 'provision_records')",
                     "INSERT INTO chain_heads (tenant_code, chain, seq, hash)"
                     " SELECT r.tenant_code, 'audit_log', r.seq, r.hash FROM audit_log r"
                     " WHERE r.seq = (SELECT MAX(m.seq) FROM audit_log m WHERE m.tenant_code = r.tenant_code)"
                     " AND NOT EXISTS (SELECT 1 FROM chain_heads h WHERE h.tenant_code = r.tenant_code"
                     " AND h.chain = 'audit_log')",
                     "INSERT INTO chain_heads (tenant_code, chain, seq, hash)"
                     " SELECT a.tenant_code, a.chain, a.seq, a.hash FROM chain_anchors a"
                     " WHERE NOT EXISTS (SELECT 1 FROM chain_heads h WHERE h.tenant_code = a.tenant_code"
                     " AND h.chain = a.chain)",
                     // Retention purges audit entries by time.
                     "CREATE INDEX IF NOT EXISTS ix_audit_at ON audit_log (tenant_code, at)",
                 }});
    m.push_back({7, "staff accounts and console sessions",
                 {
                     // 職員認証: one row per staff member of a tenant; the password only as a
                     // self-describing KDF hash (adapters/PasswordHasher).
                     "CREATE TABLE IF NOT EXISTS staff_accounts ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " login_id VARCHAR(64) NOT NULL,"
                     " name VARCHAR(200) NOT NULL,"
                     " role VARCHAR(16) NOT NULL,"
                     " password_hash VARCHAR(256) NOT NULL,"
                     " password_changed_at {BIGINT} NOT NULL,"
                     " must_change INTEGER NOT NULL,"
                     " enabled INTEGER NOT NULL,"
                     " disabled_reason VARCHAR(64) NOT NULL,"
                     " failed_logins INTEGER NOT NULL,"
                     " locked_until {BIGINT},"
                     " last_login_at {BIGINT},"
                     " last_activity_at {BIGINT} NOT NULL,"
                     " created_at {BIGINT} NOT NULL,"
                     " updated_at {BIGINT} NOT NULL,"
                     " PRIMARY KEY (tenant_code, login_id)){TABLE}",
                     // Console sessions under the SHA-256 of their cookie token (never the token).
                     "CREATE TABLE IF NOT EXISTS staff_sessions ("
                     " tenant_code VARCHAR(6) NOT NULL,"
                     " token_hash VARCHAR(64) NOT NULL,"
                     " login_id VARCHAR(64) NOT NULL,"
                     " csrf_token VARCHAR(64) NOT NULL,"
                     " terminal_fp VARCHAR(64) NOT NULL,"
                     " created_at {BIGINT} NOT NULL,"
                     " last_seen_at {BIGINT} NOT NULL,"
                     " ended_at {BIGINT},"
                     " end_reason VARCHAR(16),"
                     " PRIMARY KEY (tenant_code, token_hash)){TABLE}",
                     "CREATE INDEX IF NOT EXISTS ix_sessions_staff ON staff_sessions (tenant_code, login_id)",
                     "CREATE INDEX IF NOT EXISTS ix_sessions_seen ON staff_sessions (tenant_code, ended_at, last_seen_at)",
                 }});
    m.push_back({8, "inquiry queue in dispatch order without a sort",
                 {
                     // InquiryStore::listByState orders by (updated_at, serial). A bulk job stages
                     // all its items at one instant, and SQLite's index ended at updated_at (then
                     // rowid): every listing sorted all queued items of that instant to return 32.
                     "CREATE INDEX IF NOT EXISTS ix_inquiries_queue ON inquiries (tenant_code, state, updated_at, serial)",
                     "sqlite:DROP INDEX IF EXISTS ix_inquiries_state",
                     "mariadb:DROP INDEX IF EXISTS ix_inquiries_state ON inquiries",
                 }});
    m.push_back({9, "情報提供等記録 found by reference",
                 {
                     // RecordStore::count with a reference ("is this inquiry or request already
                     // recorded?", asked on refusals, repeats, resends and dispatch errors, and the
                     // console's search by 処理通番) scanned every record of the tenant.
                     "CREATE INDEX IF NOT EXISTS ix_records_ref ON provision_records (tenant_code, ref_id, kind)",
                 }});
    m.push_back({10, "one current 副本 version per record, kept by a unique key",
                 {
                     // MariaDB: two nodes could each insert a version of a record that had none,
                     // and both rows stayed current (different primary keys: neither InnoDB nor
                     // Galera certification objects). First a store written before this
                     // migration keeps only the highest of several current versions of a record
                     // current, then a unique key refuses a second current row from now on
                     // (ReplicaStore's race guard relies on it). SQLite has one writer at a time
                     // (BEGIN IMMEDIATE) and ReplicaStore reads and writes in one transaction, so
                     // it cannot get there; a partial unique index (tenant_code, record_id) WHERE
                     // is_current = 1 cost 13-15 % more CPU in a fresh 副本 import there
                     // (measured), and is left out. The repair runs on both, to keep the stores alike.
                     "sqlite:UPDATE replica_items SET is_current = 0 WHERE is_current = 1 AND EXISTS"
                     " (SELECT 1 FROM replica_items n WHERE n.tenant_code = replica_items.tenant_code"
                     " AND n.record_id = replica_items.record_id AND n.is_current = 1"
                     " AND n.version > replica_items.version)",
                     "mariadb:UPDATE replica_items r JOIN replica_items n ON n.tenant_code = r.tenant_code"
                     " AND n.record_id = r.record_id AND n.is_current = 1 AND n.version > r.version"
                     " SET r.is_current = 0 WHERE r.is_current = 1",
                     // MariaDB has no partial index: a stored column holds the record id of the
                     // current row only (NULL otherwise, and NULLs never collide).
                     "mariadb:ALTER TABLE replica_items ADD COLUMN IF NOT EXISTS current_record VARCHAR(64)"
                     " AS (IF(is_current = 1, record_id, NULL)) PERSISTENT",
                     "mariadb:CREATE UNIQUE INDEX IF NOT EXISTS ux_replica_current ON replica_items"
                     " (tenant_code, current_record)",
                 }});
    m.push_back({11, "outbox in due order without a sort",
                 {
                     // OutboxStore::due/dueWithoutBody order by (next_attempt_at, message_id), and
                     // SQLite's index ended at next_attempt_at (then rowid): every listing of the
                     // worker loop (on every wake, about one an exchange) built a temporary B-tree
                     // to sort the due rows, even when there were none.
                     "CREATE INDEX IF NOT EXISTS ix_outbox_queue ON outbox (tenant_code, state, next_attempt_at, message_id)",
                     "sqlite:DROP INDEX IF EXISTS ix_outbox_due",
                     "mariadb:DROP INDEX IF EXISTS ix_outbox_due ON outbox",
                 }});
    return m;
}

} // namespace

const std::vector<Migration>& Schema::migrations()
{
    static const std::vector<Migration> all = build();
    return all;
}

int Schema::latestVersion()
{
    return migrations().empty() ? 0 : migrations().back().version;
}

} // namespace chukan
