//! Passkeys in PostgreSQL (see [`crate::store::passkeys`]). "Take the ceremony" is one
//! `DELETE … RETURNING`; "the counter went up" is one `UPDATE` that applies
//! [`PasskeyUse::decide`] in SQL, so two replicas cannot both accept one counter value.

use super::{Param, Pg};
use crate::store::passkeys::PasskeyUse;
use crate::store::records::{CeremonyV1, PasskeyRecordV1};
use crate::store::StoreError;

fn record(
    id: &str,
    json: &str,
    counter: i64,
    last_used: Option<i64>,
    suspected: Option<i64>,
) -> Result<PasskeyRecordV1, StoreError> {
    let mut rec = PasskeyRecordV1::from_bytes(json.as_bytes())
        .ok_or_else(|| StoreError::Db(format!("unreadable passkey record {id:?}")))?;
    // The columns are the truth: the single statements update them, not the JSON.
    rec.counter = u32::try_from(counter).unwrap_or(u32::MAX);
    rec.last_used = last_used.map(|t| t as u64);
    rec.clone_suspected = suspected.map(|t| t as u64);
    Ok(rec)
}

pub(super) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn rows_to_records(
    rows: &[tokio_postgres::Row],
) -> Result<Vec<(String, PasskeyRecordV1)>, StoreError> {
    rows.iter()
        .map(|r| {
            let id: String = r.get(0);
            let rec = record(&id, r.get(1), r.get(2), r.get(3), r.get(4))?;
            Ok((id, rec))
        })
        .collect()
}

impl Pg {
    pub fn add_passkey(&self, id: &str, rec: &PasskeyRecordV1) -> Result<bool, StoreError> {
        let params: Vec<Param> = vec![
            Box::new(id.to_owned()),
            Box::new(rec.user.clone()),
            Box::new(json(rec)),
            Box::new(i64::from(rec.counter)),
            Box::new(rec.created as i64),
        ];
        let n = self.execute(
            "INSERT INTO passkeys (id, username, record, counter, created) \
             VALUES ($1, $2, $3::text::jsonb, $4, $5) ON CONFLICT DO NOTHING",
            params,
        )?;
        Ok(n == 1)
    }

    pub fn passkeys(&self, user: &str) -> Result<Vec<(String, PasskeyRecordV1)>, StoreError> {
        let rows = self.query(
            "SELECT id, record::text, counter, last_used, clone_suspected FROM passkeys \
             WHERE username = $1 ORDER BY created, id",
            vec![Box::new(user.to_owned())],
        )?;
        rows_to_records(&rows)
    }

    pub fn passkey(&self, id: &str) -> Result<Option<PasskeyRecordV1>, StoreError> {
        let rows = self.query(
            "SELECT id, record::text, counter, last_used, clone_suspected FROM passkeys WHERE id = $1",
            vec![Box::new(id.to_owned())],
        )?;
        Ok(rows_to_records(&rows)?.pop().map(|(_, r)| r))
    }

    pub fn remove_passkey(&self, user: &str, id: &str) -> Result<bool, StoreError> {
        let n = self.execute(
            "DELETE FROM passkeys WHERE username = $1 AND id = $2",
            vec![Box::new(user.to_owned()), Box::new(id.to_owned())],
        )?;
        Ok(n == 1)
    }

    pub fn use_passkey(
        &self,
        user: &str,
        id: &str,
        counter: u32,
        now: u64,
    ) -> Result<PasskeyUse, StoreError> {
        // One statement: accepted when the counter goes up (or both are 0), else the
        // credential is marked; a marked one is left alone. SET sees the row as it was,
        // RETURNING as it becomes; under READ COMMITTED a concurrent use is waited for and
        // this statement re-evaluated on its result, so one counter value is accepted once.
        let rows = self.query(
            "UPDATE passkeys SET \
               last_used = CASE WHEN $3 > counter OR ($3 = 0 AND counter = 0) THEN $4 ELSE last_used END, \
               clone_suspected = CASE WHEN $3 > counter OR ($3 = 0 AND counter = 0) THEN NULL ELSE $4 END, \
               counter = CASE WHEN $3 > counter OR ($3 = 0 AND counter = 0) THEN $3 ELSE counter END \
             WHERE id = $2 AND username = $1 AND clone_suspected IS NULL \
             RETURNING clone_suspected IS NULL",
            vec![
                Box::new(user.to_owned()),
                Box::new(id.to_owned()),
                Box::new(i64::from(counter)),
                Box::new(now as i64),
            ],
        )?;
        Ok(match rows.first().map(|r| r.get::<_, bool>(0)) {
            None => PasskeyUse::Refused,
            Some(true) => PasskeyUse::Accepted,
            Some(false) => PasskeyUse::CounterWentBack,
        })
    }

    pub fn passkey_users(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let rows = self.query("SELECT DISTINCT username FROM passkeys", vec![])?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    pub fn put_ceremony(&self, id: &str, rec: &CeremonyV1) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO webauthn_ceremonies (id, record, expires) VALUES ($1, $2::text::jsonb, $3)",
            vec![
                Box::new(id.to_owned()),
                Box::new(json(rec)),
                Box::new(rec.expires as i64),
            ],
        )?;
        Ok(())
    }

    pub fn take_ceremony(&self, id: &str) -> Result<Option<CeremonyV1>, StoreError> {
        let rows = self.query(
            "DELETE FROM webauthn_ceremonies WHERE id = $1 RETURNING record::text",
            vec![Box::new(id.to_owned())],
        )?;
        Ok(rows
            .first()
            .and_then(|r| CeremonyV1::from_bytes(r.get::<_, &str>(0).as_bytes())))
    }
}
