//! Password verification on a bounded blocking pool (DESIGN §6).
//!
//! Argon2 costs ~19 MiB and tens of milliseconds of one core per attempt. Attempts run on
//! tokio's blocking threads behind a semaphore, so a login storm queues here instead of
//! occupying every core that proxied traffic needs.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::auth::password;

/// How long an attempt may wait for a slot before the gateway answers "busy".
const QUEUE_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Hasher {
    slots: Arc<Semaphore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password verification is busy")]
pub struct Busy;

impl Hasher {
    /// One slot per two cores, at least one: half the machine stays free for proxying.
    pub fn for_this_machine() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hasher::new((cores / 2).max(1))
    }

    pub fn new(slots: usize) -> Hasher {
        Hasher {
            slots: Arc::new(Semaphore::new(slots)),
        }
    }

    /// Verifies `password` against `hash` (or against a dummy hash when the user is unknown,
    /// so that both cost the same).
    pub async fn verify(&self, hash: Option<String>, password: String) -> Result<bool, Busy> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            match hash {
                Some(h) => password::verify(&h, &password),
                None => {
                    password::verify(password::dummy_hash(), &password);
                    false
                }
            }
        })
        .await
        .map_err(|_| Busy)
    }
}
