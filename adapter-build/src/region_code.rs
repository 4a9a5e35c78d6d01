//! The function bodies the finishing step synthesises around the adapter's
//! region (see `region_layout.rs` and the adapter's crate docs).
//!
//! `region_base == 0` means "no region yet": until the first call into the
//! adapter, the memory hooks are plain pass-throughs (that still keep the
//! program's declared maximum), so a program that never calls WASI (or calls
//! it only after growing) sees exactly its own memory. The region is never
//! at address 0: a memory of zero pages keeps one spare page below it.
//!
//! Once the region exists, `program_end` is the program's size in bytes. The pages
//! between the program's end and the region are spare: zero, invisible to
//! the program, and handed to it by the next `memory.grow` without moving
//! anything. Only when the program grows past them does the region move up,
//! leaving fresh spare pages behind it, so growing page by page costs one
//! move per many grows.

use wasm_encoder::{BlockType, Function, InstructionSink, MemArg, ValType};

use crate::region_layout::{
    ARENA_OFFSET, CHECKED_SPARE_BYTES, DIRTY_END_OFFSET, INITIAL_PAGES, LIVE_END_OFFSET,
    MIN_SPARE_PAGES, PAGE_BYTES, STACK_TOP,
};

/// The adapter imports the program's memory and has no other.
const MEMORY: u32 = 0;

const _: () = assert!(PAGE_BYTES.is_power_of_two());
/// Pages and bytes convert by shifting.
const PAGE_SHIFT: i32 = PAGE_BYTES.trailing_zeros() as i32;

const _: () = assert!(CHECKED_SPARE_BYTES.is_multiple_of(8) && CHECKED_SPARE_BYTES >= 8);
const _: () = assert!(ARENA_OFFSET >= STACK_TOP);

/// What the synthesised code refers to: globals and the functions it calls.
pub struct RegionGlobals {
    /// Address of the region, or 0 before it exists.
    pub region_base: u32,
    /// Where the program's memory ends, in bytes, once the region exists
    /// (never 2^32: the region is above it).
    pub program_end: u32,
    /// The adapter's shadow stack pointer (rustc's `__stack_pointer`).
    pub stack_pointer: u32,
    /// The synthesised `move_region`.
    pub move_region: u32,
    /// The trap for a memory too full to hold the region.
    pub trap_no_memory: u32,
    /// The trap for a program that wrote past the end of its memory.
    pub trap_wrote_past_memory: u32,
}

fn word(offset: u32) -> MemArg {
    MemArg {
        offset: offset.into(),
        align: 2,
        memory_index: MEMORY,
    }
}

/// The indices of a function's parameters and locals, in declaration order.
fn numbered<const N: usize>() -> [u32; N] {
    core::array::from_fn(|index| index as u32)
}

/// Pushes whichever of two i64 values `keeps_first` (a comparison of the
/// first with the second) chooses; `push_first` and `push_second` each push
/// their value, and run twice, as `select` consumes both values besides the
/// condition.
fn push_chosen_i64(
    code: &mut InstructionSink<'_>,
    push_first: impl Fn(&mut InstructionSink<'_>),
    push_second: impl Fn(&mut InstructionSink<'_>),
    keeps_first: impl Fn(&mut InstructionSink<'_>),
) {
    push_first(code);
    push_second(code);
    push_first(code);
    push_second(code);
    keeps_first(code);
    code.select();
}

fn double_word(offset: u32) -> MemArg {
    MemArg {
        offset: offset.into(),
        align: 3,
        memory_index: MEMORY,
    }
}

/// What replaces each call of the adapter's `wasi-upgrade:region.base`
/// import: the base itself, read where the call was, since every preview1
/// call reads it several times and a call per read would cost more than the
/// read.
pub fn push_base(code: &mut InstructionSink<'_>, globals: &RegionGlobals) {
    code.global_get(globals.region_base);
}

/// What replaces each call of `wasi-upgrade:region.program_end`, inline as
/// for `push_base`: where the program's memory ends, in bytes (its own
/// `memory.size`, which never counts the spare pages or the region).
pub fn push_program_end(code: &mut InstructionSink<'_>, globals: &RegionGlobals) {
    code.global_get(globals.program_end);
}

/// `() -> ()`: a trap in a function of its own, whose name says why.
pub fn trap() -> Function {
    let mut f = Function::new([]);
    f.instructions().unreachable().end();
    f
}

/// `() -> ()`: prepended to every adapter export. Creates the region on the
/// first call, at the top of memory so that it is beyond everything the
/// program has, with the stack inside it. On later calls, checks that the
/// program has not written past its own end: into the first bytes after it
/// (spare pages, or the region's first bytes), which must still be zero.
pub fn enter(globals: &RegionGlobals) -> Function {
    let [old_pages] = numbered();
    let mut f = Function::new([(1, ValType::I32)]);
    let mut code = f.instructions();
    code.global_get(globals.region_base)
        .i32_eqz()
        .if_(BlockType::Empty);
    {
        code.memory_size(MEMORY)
            .i32_const(PAGE_SHIFT)
            .i32_shl()
            .global_set(globals.program_end);
        // One spare page below the region if the program has none, so that
        // the base is never 0 ("no region").
        code.global_get(globals.program_end)
            .i32_eqz()
            .i32_const(INITIAL_PAGES as i32)
            .i32_add()
            .memory_grow(MEMORY)
            .local_tee(old_pages)
            .i32_const(-1)
            .i32_eq()
            .if_(BlockType::Empty)
            .call(globals.trap_no_memory)
            .end();
        code.local_get(old_pages)
            .global_get(globals.program_end)
            .i32_eqz()
            .i32_add()
            .i32_const(PAGE_SHIFT)
            .i32_shl()
            .global_set(globals.region_base);
        code.global_get(globals.region_base)
            .i32_const(ARENA_OFFSET as i32)
            .i32_store(word(LIVE_END_OFFSET));
        code.global_get(globals.region_base)
            .i32_const(ARENA_OFFSET as i32)
            .i32_store(word(DIRTY_END_OFFSET));
        code.global_get(globals.region_base)
            .i32_const(STACK_TOP as i32)
            .i32_add()
            .global_set(globals.stack_pointer);
    }
    code.else_();
    {
        // The bytes right after the program's end are zero, whether they
        // are spare or the region's own: one check covers both.
        code.global_get(globals.program_end)
            .i64_load(double_word(0));
        for offset in (8..CHECKED_SPARE_BYTES).step_by(8) {
            code.global_get(globals.program_end)
                .i64_load(double_word(offset))
                .i64_or();
        }
        code.i64_eqz().br_if(0).call(globals.trap_wrote_past_memory);
    }
    code.end().end();
    f
}

/// `() -> i32`: the program's `memory.size`, which excludes the spare pages
/// and the region.
pub fn memory_size(globals: &RegionGlobals) -> Function {
    let mut f = Function::new([]);
    let mut code = f.instructions();
    push_program_pages(&mut code, globals);
    code.end();
    f
}

/// Pushes the program's size in pages: its own count once the region
/// exists, and all of memory before (when there is nothing else in it).
fn push_program_pages(code: &mut InstructionSink<'_>, globals: &RegionGlobals) {
    code.global_get(globals.region_base)
        .if_(BlockType::Result(ValType::I32))
        .global_get(globals.program_end)
        .i32_const(PAGE_SHIFT)
        .i32_shr_u()
        .else_()
        .memory_size(MEMORY)
        .end();
}

/// `(pages: i32, maximum: i32) -> i32`: the program's `memory.grow`, within
/// its own declared `maximum` (the rewrite lifts the maximum off the memory
/// itself so that the region fits above it). New pages come from the spare
/// pages; only when those run out does the region move. Returns the
/// program's old size in pages, or -1.
pub fn memory_grow(globals: &RegionGlobals) -> Function {
    let [pages, maximum, old_pages, new_pages] = numbered();
    let mut f = Function::new([(2, ValType::I32)]);
    let mut code = f.instructions();

    push_program_pages(&mut code, globals);
    code.local_set(old_pages);
    // `maximum - old` cannot wrap: the program starts within its maximum
    // and only ever grows through here.
    code.local_get(pages)
        .local_get(maximum)
        .local_get(old_pages)
        .i32_sub()
        .i32_gt_u()
        .if_(BlockType::Empty)
        .i32_const(-1)
        .return_()
        .end();

    code.global_get(globals.region_base)
        .i32_eqz()
        .if_(BlockType::Empty)
        .local_get(pages)
        .memory_grow(MEMORY)
        .return_()
        .end();

    code.local_get(old_pages)
        .local_get(pages)
        .i32_add()
        .local_tee(new_pages)
        .global_get(globals.region_base)
        .i32_const(PAGE_SHIFT)
        .i32_shr_u()
        .i32_gt_u()
        .if_(BlockType::Empty)
        .local_get(new_pages)
        .call(globals.move_region)
        .i32_eqz()
        .if_(BlockType::Empty)
        .i32_const(-1)
        .return_()
        .end()
        .end();
    code.local_get(new_pages)
        .i32_const(PAGE_SHIFT)
        .i32_shl()
        .global_set(globals.program_end)
        .local_get(old_pages)
        .end();
    f
}

/// `(program_pages: i32) -> i32`: moves the region above a program about to
/// have `program_pages` pages, with spare pages in between; 0 if memory
/// cannot grow that far. Only the region's live part moves (its scratch is
/// dead between calls, so one large call's scratch is never copied again),
/// and only what the region dirtied below its new base is zeroed.
pub fn move_region(globals: &RegionGlobals) -> Function {
    let [
        program_pages,
        live,
        live_pages,
        spare,
        base_pages,
        needed,
        physical,
        old_base,
        new_base,
        dirty_end,
    ] = numbered();
    let mut f = Function::new([(8, ValType::I32), (1, ValType::I64)]);
    let mut code = f.instructions();

    code.global_get(globals.region_base)
        .local_tee(old_base)
        .i32_load(word(LIVE_END_OFFSET))
        .local_tee(live)
        .i32_const(PAGE_BYTES as i32 - 1)
        .i32_add()
        .i32_const(PAGE_SHIFT)
        .i32_shr_u()
        .local_set(live_pages);
    // Where the region's dirty bytes end, as an absolute 64-bit address
    // (the region may end exactly at 4 GiB).
    code.local_get(old_base)
        .i64_extend_i32_u()
        .local_get(old_base)
        .i32_load(word(DIRTY_END_OFFSET))
        .i64_extend_i32_u()
        .i64_add()
        .local_set(dirty_end);

    // Spare pages: an eighth of the program, at least MIN_SPARE_PAGES.
    code.local_get(program_pages)
        .i32_const(3)
        .i32_shr_u()
        .local_tee(spare)
        .i32_const(MIN_SPARE_PAGES as i32)
        .local_get(spare)
        .i32_const(MIN_SPARE_PAGES as i32)
        .i32_gt_u()
        .select()
        .local_get(program_pages)
        .i32_add()
        .local_set(base_pages);
    grow_to_fit(&mut code, base_pages, live_pages, needed, physical);
    code.i32_eqz().if_(BlockType::Empty);
    {
        // No room for spare pages: the region goes right after the program.
        code.local_get(program_pages).local_set(base_pages);
        grow_to_fit(&mut code, base_pages, live_pages, needed, physical);
        code.i32_eqz()
            .if_(BlockType::Empty)
            .i32_const(0)
            .return_()
            .end();
    }
    code.end();

    code.local_get(base_pages)
        .i32_const(PAGE_SHIFT)
        .i32_shl()
        .local_tee(new_base)
        .local_get(old_base)
        .local_get(live)
        .memory_copy(MEMORY, MEMORY);
    // Zero [old_base, min(new_base, dirty_end)): now the program's spare.
    code.local_get(old_base).i32_const(0);
    push_chosen_i64(
        &mut code,
        |code| {
            code.local_get(new_base).i64_extend_i32_u();
        },
        |code| {
            code.local_get(dirty_end);
        },
        |code| {
            code.i64_lt_u();
        },
    );
    code.i32_wrap_i64()
        .local_get(old_base)
        .i32_sub()
        .memory_fill(MEMORY);
    // The new region is dirty up to its live end or the old dirty end.
    code.local_get(new_base);
    push_chosen_i64(
        &mut code,
        |code| {
            code.local_get(dirty_end)
                .local_get(new_base)
                .i64_extend_i32_u()
                .i64_sub();
        },
        |code| {
            code.local_get(live).i64_extend_i32_u();
        },
        |code| {
            code.i64_gt_s();
        },
    );
    code.i32_wrap_i64().i32_store(word(DIRTY_END_OFFSET));
    code.local_get(new_base).global_set(globals.region_base);
    code.global_get(globals.stack_pointer)
        .local_get(new_base)
        .local_get(old_base)
        .i32_sub()
        .i32_add()
        .global_set(globals.stack_pointer);
    code.i32_const(1).end();
    f
}

/// Grows memory so that `live_pages` fit from page `base_pages` on; leaves
/// 1 on the stack if they do, 0 if memory cannot grow that far.
fn grow_to_fit(
    code: &mut wasm_encoder::InstructionSink<'_>,
    base_pages: u32,
    live_pages: u32,
    needed: u32,
    physical: u32,
) {
    code.local_get(base_pages)
        .local_get(live_pages)
        .i32_add()
        .local_tee(needed)
        .memory_size(MEMORY)
        .local_tee(physical)
        .i32_le_u()
        .if_(BlockType::Result(ValType::I32))
        .i32_const(1)
        .else_()
        .local_get(needed)
        .local_get(physical)
        .i32_sub()
        .memory_grow(MEMORY)
        .i32_const(-1)
        .i32_ne()
        .end();
}
