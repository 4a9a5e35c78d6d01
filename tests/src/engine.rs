//! The one Wasmtime engine every host shares, with a deadline on every run.

use std::sync::OnceLock;
use std::time::Duration;

use wasmtime::{Config, Engine, Store};

/// How often the engine's epoch advances.
const TICK: Duration = Duration::from_millis(100);
/// How long a single run may take before it is interrupted (and reported as a
/// trap), so a hang fails one test instead of stalling the whole suite.
pub(crate) const RUN_TIMEOUT: Duration = Duration::from_secs(120);

pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine =
            Engine::new(&config).expect("a Wasmtime engine with the default configuration");
        let ticker = engine.clone();
        std::thread::Builder::new()
            .name("epoch-ticker".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(TICK);
                    ticker.increment_epoch();
                }
            })
            .expect("spawning the epoch ticker");
        engine
    })
}

/// A store whose runs trap once [`RUN_TIMEOUT`] has passed.
pub(crate) fn store<T: 'static>(data: T) -> Store<T> {
    let mut store = Store::new(engine(), data);
    store.set_epoch_deadline((RUN_TIMEOUT.as_millis() / TICK.as_millis()) as u64);
    store
}
