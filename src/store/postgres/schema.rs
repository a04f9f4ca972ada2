//! The PostgreSQL schema, as numbered migrations applied once, in order, at start.
//!
//! Replicas starting together each take one advisory lock (a session lock on a constant
//! key) before looking at `schema_migrations`: the first applies what is missing, the others
//! wait and then find nothing to do. Each migration runs in its own transaction with its row
//! in `schema_migrations`, so a crash leaves it applied or not at all. A migration, once
//! released, is never edited: a change is a new number.
//!
//! Times are Unix seconds in `bigint`; records that are read whole keep the JSON form of the
//! redb backend's versioned records (`jsonb`), with the columns that single statements test
//! (`last_step`, `expires`, counts) beside them.

use super::StoreError;

/// The advisory-lock key of migrations ("portcul" in ASCII).
const LOCK: i64 = 0x0070_6f72_7463_756c;

/// (version, SQL) in order.
pub(crate) const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE revoked_sessions (
        sid text PRIMARY KEY,
        until bigint NOT NULL
    );
    CREATE TABLE user_epochs (
        username text PRIMARY KEY,
        epoch bigint NOT NULL
    );
    CREATE TABLE totp (
        username text PRIMARY KEY,
        record jsonb NOT NULL,
        last_step bigint NOT NULL
    );
    CREATE TABLE totp_pending (
        username text PRIMARY KEY,
        record jsonb NOT NULL
    );
    CREATE TABLE backup_codes (
        username text NOT NULL,
        hash bytea NOT NULL,
        created bigint NOT NULL,
        PRIMARY KEY (username, hash)
    );
    CREATE TABLE first_logins (
        username text PRIMARY KEY,
        at bigint NOT NULL
    );
    CREATE TABLE code_channels (
        username text NOT NULL,
        channel text NOT NULL,
        enrolled bigint NOT NULL,
        PRIMARY KEY (username, channel)
    );
    CREATE TABLE devices (
        id text PRIMARY KEY,
        username text NOT NULL,
        record jsonb NOT NULL,
        last_used bigint NOT NULL,
        expires bigint NOT NULL
    );
    CREATE INDEX devices_username ON devices (username);
    CREATE TABLE lockouts (
        kind text NOT NULL CHECK (kind IN ('account', 'device')),
        key text NOT NULL,
        failures integer NOT NULL,
        locked_until bigint NOT NULL,
        lockouts integer NOT NULL,
        last_failure bigint NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE TABLE sent_codes (
        username text NOT NULL,
        channel text NOT NULL,
        hash text NOT NULL,
        expires bigint NOT NULL,
        attempts_left integer NOT NULL,
        sends bigint[] NOT NULL,
        PRIMARY KEY (username, channel)
    );
    CREATE TABLE audit (
        id bigserial PRIMARY KEY,
        time bigint NOT NULL,
        username text,
        record jsonb NOT NULL
    );
    CREATE INDEX audit_time ON audit (time);
    CREATE INDEX audit_username ON audit (username, id);
    CREATE SEQUENCE revocation_seq;
    CREATE TABLE replicas (
        id text PRIMARY KEY,
        seen bigint NOT NULL,
        listening_since bigint NOT NULL
    );
    CREATE TABLE revocation_acks (
        seq bigint NOT NULL,
        replica text NOT NULL,
        at bigint NOT NULL,
        PRIMARY KEY (seq, replica)
    );
    CREATE TABLE migrations_from (
        source text PRIMARY KEY,
        at bigint NOT NULL
    );",
    ),
    (
        2,
        "CREATE TABLE last_sign_ins (
        username text PRIMARY KEY,
        at bigint NOT NULL
    );",
    ),
    (
        3,
        "CREATE TABLE passkeys (
        id text PRIMARY KEY,
        username text NOT NULL,
        record jsonb NOT NULL,
        counter bigint NOT NULL,
        created bigint NOT NULL,
        last_used bigint,
        clone_suspected bigint
    );
    CREATE INDEX passkeys_username ON passkeys (username);
    CREATE TABLE webauthn_ceremonies (
        id text PRIMARY KEY,
        record jsonb NOT NULL,
        expires bigint NOT NULL
    );",
    ),
];

/// Applies every migration the database lacks, under the advisory lock.
///
/// Errors: a statement the server refuses; a database migrated by a newer Portcullis is
/// left alone with a warning (its extra tables are unknown here, the known ones unchanged).
pub(crate) async fn migrate(client: &mut deadpool_postgres::Client) -> Result<(), StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK])
        .await?;
    let result = apply(client).await;
    // The lock is the session's: released here, or when the connection closes.
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK])
        .await;
    result?;
    unlocked?;
    Ok(())
}

async fn apply(client: &mut deadpool_postgres::Client) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                applied bigint NOT NULL
            )",
        )
        .await?;
    let row = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    let current: i32 = row.get(0);
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        tracing::warn!(
            schema = current,
            known,
            "the database was migrated by a newer Portcullis; using the tables this version knows"
        );
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied) VALUES ($1, extract(epoch from now())::bigint)",
            &[version],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(version, "database schema migrated");
    }
    Ok(())
}
