//! Where things sit inside the adapter's region, as offsets from its base.
//!
//! This file is the one contract between the adapter's Rust code and the
//! finishing step (`adapter-build/src/finish_adapter.rs` and
//! `region_code.rs`), which synthesises the wasm that creates
//! the region and moves it when the program grows memory. Both sides include
//! this file, so the numbers cannot drift apart. It must stay free of
//! anything but constants.
//!
//! Linear memory, from address 0:
//!
//! ```text
//! | the program's pages | spare pages (zero) | region: header, state, stack, arena |
//! 0                     memory.size as the   base                                  end of
//!                       program sees it                                            memory
//! ```

/// The wasm page size.
pub const PAGE_BYTES: u32 = 65536;

/// Pages the region takes when it is created: the header, the state, the
/// stack and the start of the arena share one page. The arena grows past
/// it on demand.
pub const INITIAL_PAGES: u32 = 1;

/// Bytes after the program's end that must still be zero at every entry
/// into the adapter: a program that writes past the end of its memory
/// (which traps natively) lands on them. They are the first bytes of the
/// spare pages when there are any (invisible to the program), else the
/// first bytes of the region, kept zero for this.
pub const CHECKED_SPARE_BYTES: u32 = 32;

/// `u32`: where the region's live data ends (the arena's persistent part).
/// Only this much moves when the program's growth pushes the region up.
pub const LIVE_END_OFFSET: u32 = CHECKED_SPARE_BYTES;

/// `u32`: the highest offset the region has ever written since it last
/// moved (arena scratch included). When the region moves up, the pages it
/// leaves below this mark are zeroed for the program; those above it are
/// fresh already.
pub const DIRTY_END_OFFSET: u32 = LIVE_END_OFFSET + 4;

/// The adapter's `State` lives right after the header.
pub const STATE_OFFSET: u32 = DIRTY_END_OFFSET + 4;

/// Room for the state, from the region's base; the stack starts above it.
pub const STATE_END: u32 = 1024;

/// The shadow stack grows down from `STACK_TOP` towards the state, so an
/// overflow would land on the adapter's own state, never on the program's
/// memory. The finishing step proves none can happen: the deepest chain of
/// stack frames any entry into the adapter can build must fit in
/// `STACK_PROVEN_BYTES`, which leaves a margin below `STACK_BYTES`.
pub const STACK_BYTES: u32 = 16 * 1024;
pub const STACK_PROVEN_BYTES: u32 = 12 * 1024;
pub const STACK_TOP: u32 = STATE_END + STACK_BYTES;

/// The arena (persistent tables, then per-call scratch) starts here and runs
/// to the end of linear memory.
pub const ARENA_OFFSET: u32 = STACK_TOP;

/// When the program grows past the spare pages, the region moves up and
/// leaves this many spare pages at least (or an eighth of the program's
/// size, if more), so that growing page by page moves it only rarely.
pub const MIN_SPARE_PAGES: u32 = 16;

/// Import module the adapter's Rust code uses for the region's intrinsics;
/// the finishing step replaces each call of `base` and `program_end` with
/// the instructions that compute it, and each trap import with a
/// synthesised body.
pub const INTRINSICS_MODULE: &str = "wasi-upgrade:region";

/// `() -> i32`: the region's current base address.
pub const INTRINSIC_BASE: &str = "base";

/// `() -> i32`: where the program's memory ends, in bytes (a global of its
/// own, so that the bounds check of every pointer reads it in one
/// instruction).
pub const INTRINSIC_PROGRAM_END: &str = "program_end";

/// `() -> ()`, never returns: the adapter's own traps. Each is a function of
/// its own whose name says why, so a host's backtrace tells the user.
pub const TRAP_NO_MEMORY_FOR_REGION: &str = "no_memory_left_for_the_adapter_region";
pub const TRAP_WROTE_PAST_MEMORY: &str = "program_wrote_past_its_memory";
pub const TRAP_NO_MEMORY_FOR_HOST_ANSWER: &str = "no_memory_left_for_an_answer_from_the_host";
pub const TRAP_HOST_RESIZED_ANSWER: &str = "host_asked_to_resize_an_answer";
pub const TRAP_HOST_RETURNED_FROM_EXIT: &str = "host_returned_from_exit";
pub const TRAP_PROXY_EXIT: &str = "a_proxy_cannot_exit_before_its_handler_returns";
pub const TRAP_PROXY_SOCKET: &str = "a_proxy_has_no_sockets";
pub const TRAP_ADAPTER_BUG: &str = "adapter_bug";
/// Native preview1's own refusals, which trap rather than answer an errno.
pub const TRAP_POINTER_OUTSIDE_MEMORY: &str = "pointer_outside_memory";
pub const TRAP_POINTER_NOT_ALIGNED: &str = "pointer_not_aligned";
pub const TRAP_ENUM_OUT_OF_RANGE: &str = "enum_value_out_of_range";
pub const TRAP_FLAGS_OUT_OF_RANGE: &str = "flag_bits_out_of_range";
pub const TRAP_EXIT_STATUS: &str = "exit_status_of_126_or_more";
pub const TRAP_ARGUMENT_TOO_WIDE: &str = "argument_wider_than_its_type";

/// Every trap intrinsic, for the finishing step.
pub const TRAPS: [&str; 14] = [
    TRAP_NO_MEMORY_FOR_REGION,
    TRAP_WROTE_PAST_MEMORY,
    TRAP_NO_MEMORY_FOR_HOST_ANSWER,
    TRAP_HOST_RESIZED_ANSWER,
    TRAP_HOST_RETURNED_FROM_EXIT,
    TRAP_PROXY_EXIT,
    TRAP_PROXY_SOCKET,
    TRAP_ADAPTER_BUG,
    TRAP_POINTER_OUTSIDE_MEMORY,
    TRAP_POINTER_NOT_ALIGNED,
    TRAP_ENUM_OUT_OF_RANGE,
    TRAP_FLAGS_OUT_OF_RANGE,
    TRAP_EXIT_STATUS,
    TRAP_ARGUMENT_TOO_WIDE,
];

/// Exports through which the rewritten program asks for memory: they replace
/// every `memory.size` / `memory.grow` instruction of the main module.
/// `memory_size: () -> i32`; `memory_grow: (pages: i32, maximum: i32) -> i32`,
/// where `maximum` is the program's own declared maximum in pages (65536
/// when it declares none), which the rewrite takes off the memory itself.
pub const MEMORY_SIZE_EXPORT: &str = "wasi_upgrade_memory_size";
pub const MEMORY_GROW_EXPORT: &str = "wasi_upgrade_memory_grow";
