//! The preview1 adapter, built from `adapter/` and finished by `build.rs`.

/// Which adapter flavour a preview1 module needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    /// For a module with `_start`: the component exports `wasi:cli/run`,
    /// which calls `_start`.
    Command,
    /// For a library module (`_initialize` or no entry point): the module's
    /// own exports become the component's exports.
    Reactor,
}

/// The finished adapter core module for `world`, to be given to
/// `wit_component::ComponentEncoder::adapter` as `wasi_snapshot_preview1`.
pub fn adapter_bytes(world: World) -> &'static [u8] {
    match world {
        World::Command => {
            include_bytes!(concat!(
                env!("OUT_DIR"),
                "/wasi_snapshot_preview1.command.wasm"
            ))
        }
        World::Reactor => {
            include_bytes!(concat!(
                env!("OUT_DIR"),
                "/wasi_snapshot_preview1.reactor.wasm"
            ))
        }
    }
}
