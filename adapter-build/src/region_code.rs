//! The function bodies the finishing step synthesises around the adapter's
//! region (see `region_layout.rs` and PREAMBLE's memory design).
//!
//! `region_base == 0` means "no region yet": until the first call into the
//! adapter, the memory hooks are plain pass-throughs, so a program that never
//! calls WASI (or calls it only after growing) sees exactly its own memory.

use wasm_encoder::{BlockType, Function, ValType};

use crate::region_layout::{INITIAL_PAGES, PAGE_BYTES, STACK_TOP};

/// The adapter imports the program's memory and has no other.
const MEMORY: u32 = 0;

const _: () = assert!(PAGE_BYTES.is_power_of_two());
/// Pages and bytes convert by shifting.
const PAGE_SHIFT: i32 = PAGE_BYTES.trailing_zeros() as i32;

/// The globals the synthesised code reads and writes.
pub struct RegionGlobals {
    /// Address of the region, or 0 before it exists.
    pub region_base: u32,
    /// The adapter's shadow stack pointer (rustc's `__stack_pointer`).
    pub stack_pointer: u32,
}

/// `() -> i32`: what the adapter's `wasi-upgrade:region.base` import returns.
pub fn base(globals: &RegionGlobals) -> Function {
    let mut f = Function::new([]);
    f.instructions().global_get(globals.region_base).end();
    f
}

/// `() -> ()`: creates the region on the first call, prepended to every
/// adapter export. The region goes at the top of memory so that it is beyond
/// everything the program has, and the stack starts inside it.
pub fn enter(globals: &RegionGlobals) -> Function {
    let old_pages = 0;
    let mut f = Function::new([(1, ValType::I32)]);
    let mut code = f.instructions();
    code.global_get(globals.region_base)
        .i32_eqz()
        .if_(BlockType::Empty);
    code.i32_const(INITIAL_PAGES as i32)
        .memory_grow(MEMORY)
        .local_set(old_pages);
    // Out of memory is -1. A memory of zero pages would put the region at 0,
    // which is indistinguishable from "no region" and would be re-created on
    // every call; neither can be reported to the caller, so trap.
    code.local_get(old_pages)
        .i32_const(-1)
        .i32_eq()
        .local_get(old_pages)
        .i32_eqz()
        .i32_or()
        .if_(BlockType::Empty)
        .unreachable()
        .end();
    code.local_get(old_pages)
        .i32_const(PAGE_SHIFT)
        .i32_shl()
        .global_set(globals.region_base);
    code.global_get(globals.region_base)
        .i32_const(STACK_TOP as i32)
        .i32_add()
        .global_set(globals.stack_pointer);
    code.end().end();
    f
}

/// `() -> i32`: the program's `memory.size`, which excludes the region.
pub fn memory_size(globals: &RegionGlobals) -> Function {
    let mut f = Function::new([]);
    f.instructions()
        .global_get(globals.region_base)
        .if_(BlockType::Result(ValType::I32))
        .global_get(globals.region_base)
        .i32_const(PAGE_SHIFT)
        .i32_shr_u()
        .else_()
        .memory_size(MEMORY)
        .end()
        .end();
    f
}

/// `(pages: i32) -> i32`: the program's `memory.grow`. The new pages appear
/// physically above the region, so the region moves up by that much and the
/// pages it leaves behind, now the program's, are zeroed as fresh memory
/// must be. Returns the program's old size in pages, or -1.
pub fn memory_grow(globals: &RegionGlobals) -> Function {
    let pages = 0;
    let old_physical_pages = 1;
    let delta = 2;
    let old_base = 3;
    let mut f = Function::new([(3, ValType::I32)]);
    let mut code = f.instructions();

    code.global_get(globals.region_base)
        .i32_eqz()
        .if_(BlockType::Empty);
    code.local_get(pages).memory_grow(MEMORY).return_();
    code.end();

    code.local_get(pages)
        .memory_grow(MEMORY)
        .local_tee(old_physical_pages)
        .i32_const(-1)
        .i32_eq()
        .if_(BlockType::Empty)
        .i32_const(-1)
        .return_()
        .end();

    code.local_get(pages)
        .i32_const(PAGE_SHIFT)
        .i32_shl()
        .local_set(delta);

    // The region runs from its base to the old end of memory.
    code.global_get(globals.region_base)
        .local_get(delta)
        .i32_add()
        .global_get(globals.region_base)
        .local_get(old_physical_pages)
        .i32_const(PAGE_SHIFT)
        .i32_shl()
        .global_get(globals.region_base)
        .i32_sub()
        .memory_copy(MEMORY, MEMORY);
    code.global_get(globals.region_base)
        .i32_const(0)
        .local_get(delta)
        .memory_fill(MEMORY);

    code.global_get(globals.region_base)
        .local_tee(old_base)
        .local_get(delta)
        .i32_add()
        .global_set(globals.region_base);
    code.global_get(globals.stack_pointer)
        .local_get(delta)
        .i32_add()
        .global_set(globals.stack_pointer);

    code.local_get(old_base)
        .i32_const(PAGE_SHIFT)
        .i32_shr_u()
        .end();
    f
}
