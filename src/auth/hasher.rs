//! Password verification on a small pool of dedicated, low-priority threads (DESIGN §6).
//!
//! Argon2 costs ~19 MiB and tens of milliseconds of one core per attempt. Attempts queue for a
//! bounded number of hashing threads (one per two cores), which run at the lowest scheduling
//! priority (Linux's idle class, and nice 19): when proxying and hashing compete for a core,
//! proxying wins, so a storm of wrong passwords slows down sign-ins, not the application's traffic.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::auth::password;

/// Attempts waiting beyond this are answered "busy" at once.
const QUEUE: usize = 256;
/// How long an attempt may wait for its turn before the gateway answers "busy".
const QUEUE_WAIT: Duration = Duration::from_secs(10);

struct Job {
    hash: Option<String>,
    password: String,
    reply: oneshot::Sender<bool>,
}

#[derive(Debug, Clone)]
pub struct Hasher {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password verification is busy")]
pub struct Busy;

impl Hasher {
    /// One thread per two cores, at least one: half the machine stays free for proxying.
    pub fn for_this_machine() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hasher::new((cores / 2).max(1))
    }

    pub fn new(threads: usize) -> Hasher {
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("portcullis-argon2-{i}"))
                .spawn(move || work(&queue));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password-hashing thread");
            }
        }
        Hasher { jobs }
    }

    /// Verifies `password` against `hash` (or against a dummy hash when the user is unknown,
    /// so that both cost the same).
    pub async fn verify(&self, hash: Option<String>, password: String) -> Result<bool, Busy> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .try_send(Job {
                hash,
                password,
                reply,
            })
            .map_err(|_| Busy)?;
        tokio::time::timeout(QUEUE_WAIT, answer)
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)
    }
}

fn work(queue: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    loop {
        // One thread at a time waits on the queue; the others wait for the lock.
        let job = match queue.lock() {
            Ok(mut q) => q.blocking_recv(),
            Err(_) => return,
        };
        let Some(job) = job else { return };
        let ok = match &job.hash {
            Some(h) => password::verify(h, &job.password),
            None => {
                password::verify(password::dummy_hash(), &job.password);
                false
            }
        };
        let _ = job.reply.send(ok);
    }
}

/// The lowest priority for the calling thread only: the idle scheduling class, so that a
/// waking proxy thread takes the core at once instead of after a time slice, and nice 19 in
/// case the class cannot be set (Linux: a thread id is a valid PRIO_PROCESS target, and 0 is
/// the calling thread for `sched_setscheduler`).
fn lower_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `param` outlives the call; the others take no pointers. Failure only means a
    // higher priority than asked, which is logged.
    #[allow(unsafe_code)]
    let (idle, nice) = unsafe {
        (
            libc::sched_setscheduler(0, libc::SCHED_IDLE, &param),
            libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19),
        )
    };
    if idle != 0 || nice != 0 {
        tracing::debug!("could not lower the priority of a password-hashing thread");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verification_runs_on_the_pool_and_unknown_users_are_refused() {
        let h = Hasher::new(1);
        let hash = password::hash("right").unwrap();
        assert!(h.verify(Some(hash.clone()), "right".into()).await.unwrap());
        assert!(!h.verify(Some(hash), "wrong".into()).await.unwrap());
        assert!(!h.verify(None, "anything".into()).await.unwrap());
    }

    #[test]
    fn hashing_threads_run_at_the_lowest_priority() {
        let (policy, nice) = std::thread::spawn(|| {
            lower_priority();
            // SAFETY: no pointers.
            #[allow(unsafe_code)]
            unsafe {
                (
                    libc::sched_getscheduler(0),
                    libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t),
                )
            }
        })
        .join()
        .unwrap();
        assert_eq!((policy, nice), (libc::SCHED_IDLE, 19));
    }
}
