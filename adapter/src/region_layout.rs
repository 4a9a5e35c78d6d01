//! Where things sit inside the adapter's region, as offsets from its base.
//!
//! This file is the one contract between the adapter's Rust code and the
//! finishing step in `cli/build.rs`, which synthesises the wasm that creates
//! the region and moves it when the program grows memory. Both sides include
//! this file, so the numbers cannot drift apart. It must stay free of
//! anything but constants.

/// The wasm page size.
pub const PAGE_BYTES: u32 = 65536;

/// Pages the region takes when it is created: the state page, the stack page
/// and one page of arena. The arena grows past this on demand.
pub const INITIAL_PAGES: u32 = 3;

/// The adapter's `State` lives at the very start of the region.
pub const STATE_OFFSET: u32 = 0;

/// The shadow stack grows down from here towards the state page. An overflow
/// therefore lands on the adapter's own state, never on the program's memory.
pub const STACK_TOP: u32 = 2 * PAGE_BYTES;

/// The arena (persistent tables, then per-call scratch) starts here and runs
/// to the end of linear memory.
pub const ARENA_OFFSET: u32 = 2 * PAGE_BYTES;

/// Import module the adapter's Rust code uses for the region's intrinsics;
/// the finishing step replaces each of these imports with a synthesised body.
pub const INTRINSICS_MODULE: &str = "wasi-upgrade:region";

/// `() -> i32`: the region's current base address.
pub const INTRINSIC_BASE: &str = "base";

/// Exports through which the rewritten program asks for memory: they replace
/// every `memory.size` / `memory.grow` instruction of the main module.
pub const MEMORY_SIZE_EXPORT: &str = "wasi_upgrade_memory_size";
pub const MEMORY_GROW_EXPORT: &str = "wasi_upgrade_memory_grow";
