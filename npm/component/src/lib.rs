//! `wasi_upgrade::upgrade` behind the WIT interface in `wit/upgrader.wit`.
//! Built for `wasm32-wasip2` and transpiled by jco (npm/build.sh), it is what
//! the Node command `npm/bin/wasi-upgrade.mjs` runs.

use exports::wasi_upgrade::upgrader::upgrader::{Guest, Kind};
use wasi_upgrade::{Options, WasiVersion, World};

wit_bindgen::generate!({
    world: "component",
    path: "wit",
});

struct Upgrader;

impl Guest for Upgrader {
    fn upgrade(
        module: Vec<u8>,
        kind: Option<Kind>,
        wasi_version: Option<String>,
    ) -> Result<Vec<u8>, String> {
        let mut options = Options::default();
        if let Some(kind) = kind {
            options = options.world(match kind {
                Kind::Command => World::Command,
                Kind::Reactor => World::Reactor,
                Kind::Proxy => World::Proxy,
            });
        }
        if let Some(text) = wasi_version {
            options = options.wasi_version(parse_wasi_version(&text)?);
        }
        wasi_upgrade::upgrade(&module, &options).map_err(|e| e.to_string())
    }

    fn check_wasi_version(text: String) -> Result<(), String> {
        parse_wasi_version(&text).map(drop)
    }
}

fn parse_wasi_version(text: &str) -> Result<WasiVersion, String> {
    text.parse()
        .map_err(|e: wasi_upgrade::UnknownWasiVersion| e.to_string())
}

export!(Upgrader);
