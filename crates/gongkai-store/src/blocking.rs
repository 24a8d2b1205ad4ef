//! The bounded pool for CPU-heavy work (password hashing, reading untrusted files): tokio's
//! blocking threads behind a semaphore sized to the machine, so the async workers never run
//! such work and a burst of it queues instead of taking a thread (and an argon2 hash's 19 MiB)
//! per request.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

use crate::StoreError;

fn permits() -> &'static Semaphore {
    static POOL: OnceLock<Semaphore> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores)
    })
}

/// Runs `work` on a blocking thread once one of the pool's places is free.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let _place = permits()
        .acquire()
        .await
        .map_err(|e| StoreError::invalid(format!("blocking pool closed: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::invalid(format!("blocking work failed: {e}")))
}
