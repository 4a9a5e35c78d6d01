//! The adapter's region and memory hooks, driven directly: the finished
//! adapter module is instantiated on its own with a memory standing in for
//! the program's and stand-ins for its WASI 0.2 imports, so each of its
//! traps can be provoked, including those no real host provokes, and each
//! trap's backtrace must name the reason.

use wasi_upgrade::{World, adapter_bytes};
use wasmtime::{Engine, Instance, Linker, Memory, MemoryType, Module, Store};

const PAGE: usize = 65536;
const NO_MAXIMUM: i32 = 65536;

/// What the adapter's WASI 0.2 imports do unless `define` says otherwise.
#[derive(PartialEq)]
enum Imports {
    Trap,
    AnswerZero,
}

/// The adapter of `world`, instantiated with a memory of `pages` pages (at
/// most `maximum`) as the program's, every import trapping but those
/// `define` provides.
fn adapter(
    world: World,
    pages: u32,
    maximum: Option<u32>,
    define: impl FnOnce(&mut Linker<()>),
) -> (Store<()>, Instance, Memory) {
    adapter_with(world, pages, maximum, Imports::Trap, define)
}

fn adapter_with(
    world: World,
    pages: u32,
    maximum: Option<u32>,
    others: Imports,
    define: impl FnOnce(&mut Linker<()>),
) -> (Store<()>, Instance, Memory) {
    let engine = Engine::default();
    let module = Module::new(&engine, adapter_bytes(world)).expect("the adapter compiles");
    let mut store = Store::new(&engine, ());
    let memory = Memory::new(&mut store, MemoryType::new(pages, maximum)).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define(&store, "env", "memory", memory).unwrap();
    define(&mut linker);
    if others == Imports::AnswerZero {
        linker
            .define_unknown_imports_as_default_values(&mut store, &module)
            .unwrap();
    }
    linker.define_unknown_imports_as_traps(&module).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance, memory)
}

fn sched_yield(store: &mut Store<()>, instance: &Instance) -> wasmtime::Result<i32> {
    instance
        .get_typed_func::<(), i32>(&mut *store, "sched_yield")?
        .call(store, ())
}

fn grow(store: &mut Store<()>, instance: &Instance, pages: i32, maximum: i32) -> i32 {
    instance
        .get_typed_func::<(i32, i32), i32>(&mut *store, "wasi_upgrade_memory_grow")
        .unwrap()
        .call(store, (pages, maximum))
        .unwrap()
}

fn size(store: &mut Store<()>, instance: &Instance) -> i32 {
    instance
        .get_typed_func::<(), i32>(&mut *store, "wasi_upgrade_memory_size")
        .unwrap()
        .call(store, ())
        .unwrap()
}

fn cabi_import_realloc(
    store: &mut Store<()>,
    instance: &Instance,
    args: (i32, i32, i32, i32),
) -> wasmtime::Result<i32> {
    instance
        .get_typed_func::<(i32, i32, i32, i32), i32>(&mut *store, "cabi_import_realloc")?
        .call(store, args)
}

/// The trap `result` ended with names `function` in its backtrace.
#[track_caller]
fn assert_trapped_in<T: std::fmt::Debug>(result: wasmtime::Result<T>, function: &str) {
    let error = result.expect_err("the call must trap");
    let report = format!("{error:?}");
    assert!(
        report.contains(function),
        "the backtrace does not name `{function}`:\n{report}"
    );
}

#[test]
fn a_write_past_the_program_s_memory_onto_the_region_traps_with_its_reason() {
    let (mut store, instance, memory) = adapter(World::Command, 1, None, |_| {});
    assert_eq!(sched_yield(&mut store, &instance).unwrap(), 0);
    assert_eq!(
        sched_yield(&mut store, &instance).unwrap(),
        0,
        "a clean entry passes"
    );
    // The first byte past the program's single page.
    memory.data_mut(&mut store)[PAGE] ^= 1;
    assert_trapped_in(
        sched_yield(&mut store, &instance),
        "program_wrote_past_its_memory",
    );
}

#[test]
fn a_write_past_the_program_s_memory_into_spare_pages_traps_with_its_reason() {
    let (mut store, instance, memory) = adapter(World::Command, 1, None, |_| {});
    sched_yield(&mut store, &instance).unwrap();
    // Growing moves the region up and leaves spare pages below it.
    assert_eq!(grow(&mut store, &instance, 1, NO_MAXIMUM), 1);
    assert_eq!(size(&mut store, &instance), 2);
    assert!(memory.data_size(&store) > 3 * PAGE);
    assert_eq!(sched_yield(&mut store, &instance).unwrap(), 0);
    memory.data_mut(&mut store)[2 * PAGE + 3] = 9;
    assert_trapped_in(
        sched_yield(&mut store, &instance),
        "program_wrote_past_its_memory",
    );
}

#[test]
fn a_memory_that_cannot_hold_the_region_traps_with_its_reason() {
    let (mut store, instance, _) = adapter(World::Command, 1, Some(1), |_| {});
    assert_trapped_in(
        sched_yield(&mut store, &instance),
        "no_memory_left_for_the_adapter_region",
    );
}

#[test]
fn an_answer_that_does_not_fit_in_memory_traps_with_its_reason() {
    let (mut store, instance, _) = adapter(World::Command, 1, Some(8), |_| {});
    sched_yield(&mut store, &instance).unwrap();
    assert_trapped_in(
        cabi_import_realloc(&mut store, &instance, (0, 0, 1, 1 << 20)),
        "no_memory_left_for_an_answer_from_the_host",
    );
}

#[test]
fn a_host_resizing_an_answer_traps_with_its_reason() {
    let (mut store, instance, _) = adapter(World::Command, 1, None, |_| {});
    assert_trapped_in(
        cabi_import_realloc(&mut store, &instance, (8, 1, 1, 2)),
        "host_asked_to_resize_an_answer",
    );
}

#[test]
fn a_host_returning_from_exit_traps_with_its_reason() {
    let (mut store, instance, _) = adapter(World::Command, 1, None, |linker| {
        linker
            .func_wrap("wasi:cli/exit@0.2.12", "exit-with-code", |_: u32| {})
            .unwrap();
    });
    let proc_exit = instance
        .get_typed_func::<i32, ()>(&mut store, "proc_exit")
        .unwrap();
    assert_trapped_in(proc_exit.call(&mut store, 3), "host_returned_from_exit");
}

#[test]
fn a_proxy_exiting_traps_with_its_reason() {
    let (mut store, instance, _) = adapter(World::Proxy, 1, None, |_| {});
    let proc_exit = instance
        .get_typed_func::<i32, ()>(&mut store, "proc_exit")
        .unwrap();
    assert_trapped_in(
        proc_exit.call(&mut store, 0),
        "a_proxy_cannot_exit_before_its_handler_returns",
    );
}

/// Growing page by page: the program sees exactly its own pages, each
/// fresh one zero, its data intact, and its maximum respected; the region
/// moves rarely and never shows.
#[test]
fn growing_page_by_page_shows_only_the_program_s_pages() {
    let (mut store, instance, memory) = adapter(World::Command, 2, None, |_| {});
    memory.data_mut(&mut store)[..2 * PAGE].fill(0x5a);
    sched_yield(&mut store, &instance).unwrap();
    let mut moves = 0;
    let mut base_before = memory.data_size(&store);
    for pages in 2..600 {
        assert_eq!(size(&mut store, &instance), pages);
        assert_eq!(grow(&mut store, &instance, 1, NO_MAXIMUM), pages);
        let start = pages as usize * PAGE;
        let data = memory.data_mut(&mut store);
        assert!(
            data[start..start + PAGE].iter().all(|&b| b == 0),
            "page {pages} is not zero"
        );
        data[start..start + PAGE].fill(0x5a);
        assert_eq!(sched_yield(&mut store, &instance).unwrap(), 0);
        if memory.data_size(&store) != base_before {
            moves += 1;
            base_before = memory.data_size(&store);
        }
    }
    let data = memory.data(&store);
    assert!(
        data[..600 * PAGE].iter().all(|&b| b == 0x5a),
        "the program's data moved"
    );
    assert!(moves < 40, "the region moved {moves} times for 598 grows");
    assert_eq!(
        grow(&mut store, &instance, 1, 600),
        -1,
        "past the program's maximum"
    );
    assert_eq!(grow(&mut store, &instance, 0, 600), 600);
}

/// After one call took a large scratch area, later grows reuse it for the
/// program (zeroed) instead of copying it along.
#[test]
fn a_large_answer_is_not_carried_along_by_later_grows() {
    let (mut store, instance, memory) =
        adapter_with(World::Command, 1, None, Imports::AnswerZero, |_| {});
    // A preview1 call, during which the host's answers are lowered.
    let args_sizes_get = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "args_sizes_get")
        .unwrap();
    assert_eq!(args_sizes_get.call(&mut store, (64, 68)).unwrap(), 0);
    let big = 16 << 20;
    let at = cabi_import_realloc(&mut store, &instance, (0, 0, 1, big)).unwrap() as usize;
    memory.data_mut(&mut store)[at..at + big as usize].fill(0xa5);
    let physical = memory.data_size(&store);
    for pages in 1..200 {
        assert_eq!(grow(&mut store, &instance, 1, NO_MAXIMUM), pages);
        let start = pages as usize * PAGE;
        assert!(
            memory.data(&store)[start..start + PAGE]
                .iter()
                .all(|&b| b == 0),
            "page {pages} is not zero"
        );
        assert_eq!(sched_yield(&mut store, &instance).unwrap(), 0);
    }
    assert_eq!(
        memory.data_size(&store),
        physical,
        "the region moved within the memory the large answer left"
    );
}

/// State of a component run: WASI 0.2 with nothing granted.
struct Wasi {
    ctx: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

impl wasmtime_wasi::WasiView for Wasi {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// `text` upgraded, instantiated on Wasmtime's WASI 0.2 host.
fn upgraded(text: &str) -> (Store<Wasi>, wasmtime::Result<wasmtime::component::Instance>) {
    let module = wat::parse_str(text).unwrap();
    let component = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default()).unwrap();
    let engine = Engine::default();
    let component = wasmtime::component::Component::new(&engine, component).unwrap();
    let mut linker = wasmtime::component::Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    let mut store = Store::new(
        &engine,
        Wasi {
            ctx: wasmtime_wasi::WasiCtxBuilder::new().build(),
            table: Default::default(),
        },
    );
    let instance = linker.instantiate(&mut store, &component);
    (store, instance)
}

/// Natively the write traps at once; upgraded, it lands on the region and
/// the next WASI call traps, naming the reason.
#[test]
fn a_program_writing_past_its_memory_is_stopped_at_its_next_call() {
    let text = r#"(module
        (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
        (memory (export "memory") 1)
        (func (export "_start")
          (drop (call $yield))
          (i64.store (i32.mul (memory.size) (i32.const 65536)) (i64.const -1))
          (drop (call $yield))))"#;

    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(text).unwrap()).unwrap();
    let mut linker = Linker::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |ctx| ctx).unwrap();
    let mut store = Store::new(&engine, wasmtime_wasi::WasiCtxBuilder::new().build_p1());
    let native = linker
        .instantiate(&mut store, &module)
        .and_then(|instance| instance.get_typed_func::<(), ()>(&mut store, "_start"))
        .and_then(|start| start.call(&mut store, ()));
    let trap = native.expect_err("natively the write traps");
    assert_eq!(
        trap.downcast_ref::<wasmtime::Trap>(),
        Some(&wasmtime::Trap::MemoryOutOfBounds)
    );

    let (mut store, instance) = upgraded(text);
    let command =
        wasmtime_wasi::p2::bindings::sync::Command::new(&mut store, &instance.unwrap()).unwrap();
    assert_trapped_in(
        command.wasi_cli_run().call_run(&mut store),
        "program_wrote_past_its_memory",
    );
}

/// A library's start function that calls WASI and grows memory runs once,
/// at instantiation, before any export.
#[test]
fn a_library_s_start_function_runs_before_its_exports() {
    let (mut store, instance) = upgraded(
        r#"(module
            (import "wasi_snapshot_preview1" "clock_time_get" (func $now (param i32 i64 i32) (result i32)))
            (memory (export "memory") 1 2)
            (global $seen (mut i32) (i32.const 0))
            (func $init
              (global.set $seen
                (i32.add
                  (i32.mul (call $now (i32.const 1) (i64.const 1) (i32.const 64)) (i32.const 100))
                  (i32.add (i32.mul (memory.grow (i32.const 1)) (i32.const 10)) (memory.size)))))
            (start $init)
            (func (export "seen") (result i32) (global.get $seen))
            (func (export "grow") (result i32) (memory.grow (i32.const 1))))"#,
    );
    let instance = instance.expect("the start function runs where WASI works");
    let seen = instance
        .get_typed_func::<(), (i32,)>(&mut store, "seen")
        .unwrap();
    // errno 0, grown from page 1, 2 pages now.
    assert_eq!(seen.call(&mut store, ()).unwrap(), (12,));
    let grow = instance
        .get_typed_func::<(), (i32,)>(&mut store, "grow")
        .unwrap();
    assert_eq!(
        grow.call(&mut store, ()).unwrap(),
        (-1,),
        "the maximum is 2"
    );
}
