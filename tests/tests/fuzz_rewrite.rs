//! The memory rewrite, fuzzed: modules `wasm-smith` generates from a fixed
//! range of seeds, upgraded and, where they are commands, run natively and
//! upgraded under the same fuel.
//!
//! Every module imports only (a realistic subset of) `wasi_snapshot_preview1`
//! and exports a memory; its shape — the memory's limits, a start section,
//! and the shapes no preview1 toolchain emits that the upgrade must refuse
//! cleanly — is chosen per seed, its code by `wasm-smith`. For each module:
//!
//! - `wasi_upgrade::upgrade` returns a component that validates, or an error
//!   that fits on one line and is not an internal ("report a bug") one; it
//!   never panics. A preview1-shaped module (one exported memory of 32-bit
//!   64 KiB pages) must upgrade.
//! - A command (it exports `_start`) or library (`_initialize` and
//!   `work(i32) -> i32`, called with 7) runs natively on Wasmtime's preview1 and
//!   upgraded on its WASI 0.2 host: the exit (code or trap kind), stdout and
//!   stderr must match. See [`compare`] for how fuel and the accesses past the
//!   end of memory are judged.
//!
//! CI runs [`CI_SEEDS`] for at most [`CI_BUDGET`] and reports how many
//! modules it tried. `WASI_UPGRADE_FUZZ_SEEDS=START..END` chooses other seeds
//! (one seed replays a failure) and `WASI_UPGRADE_FUZZ_SECONDS=N` another
//! budget (`0`: none). A failing module is saved as
//! `$CARGO_TARGET_TMPDIR/fuzz_rewrite/seed-N.wasm` and `.wat`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use wasi_upgrade_tests::Exit;
use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{EntityType, ImportSection, SectionId};
use wasmparser::{Operator, Parser, Payload, TypeRef, Validator, WasmFeatures};
use wasmtime::component::{Component, Linker as ComponentLinker, ResourceTable};
use wasmtime::{Config, Engine, Linker, Module, Store, Trap};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The seeds CI tries, in order, until [`CI_BUDGET`] runs out.
const CI_SEEDS: Range<u64> = 0..4000;
/// How long CI fuzzes; the test stops at the first seed past it.
const CI_BUDGET: Duration = Duration::from_secs(180);

/// Fuel for the native run (instantiation, with the start section, and
/// `_start` together). Wasm-smith's loops often never end; this bounds them.
const NATIVE_FUEL: u64 = 200_000;
/// Fuel for the upgraded run of a module that finished natively: every
/// instruction of the program costs the same as natively, the adapter's own
/// instructions (a WASI call, a grow moving the region) come on top.
const UPGRADED_FUEL: u64 = 100 * NATIVE_FUEL;
/// Fuel does not bound time: one `memory.grow` or `memory.copy` of a GiB
/// costs one unit. A run still going after this long is interrupted, and the
/// module counted as too slow to compare (with its seed in the summary).
const RUN_DEADLINE: Duration = Duration::from_secs(10);
const EPOCH_TICK: Duration = Duration::from_millis(100);

/// The preview1 functions generated modules may import, with their real
/// signatures. Only functions whose effects are the same on every run and
/// every host: no clocks, no randomness, no files (no preopens are given).
const PREVIEW1_IMPORTS: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
)"#;

/// Arguments and environment every run gets, so `args_get` and `environ_get`
/// copy something.
const ARGS: [&str; 2] = ["fuzz.wasm", "--flag"];
const ENV: [(&str, &str); 1] = [("FUZZ", "rewrite")];
/// What a library's `work(i32) -> i32` export is called with.
const WORK_ARGUMENT: i32 = 7;

/// Native preview1 trapped on a pointer argument it could not use (wiggle's
/// `GuestError` messages).
fn native_bad_pointer(exit: &Exit) -> bool {
    let message = trap_message(exit);
    [
        "Pointer out of bounds",
        "Pointer not aligned",
        "Pointer overflow",
    ]
    .iter()
    .any(|error| message.contains(error))
}

fn trap_message(exit: &Exit) -> &str {
    match exit {
        Exit::Trapped { message, .. } => message,
        Exit::Code(_) => "",
    }
}

/// How the memory of a generated module is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MemoryShape {
    /// One exported 32-bit memory of 64 KiB pages, as preview1 toolchains emit.
    Preview1 { initial: u64, maximum: Option<u64> },
    /// A second memory besides the exported one (multi-memory).
    TwoMemories,
    /// A 64-bit memory (memory64).
    Memory64,
    /// A shared memory (threads).
    Shared,
    /// A memory whose pages are one byte (custom page sizes).
    OneBytePages,
    /// The memory is imported from `env` (`--import-memory`) and re-exported.
    ImportedFromEnv,
    /// The memory is imported from `wasi_snapshot_preview1`, which has none.
    ImportedFromPreview1,
    /// The memory is exported as `mem`, not `memory`.
    Renamed,
}

impl MemoryShape {
    fn arbitrary(u: &mut Unstructured) -> arbitrary::Result<MemoryShape> {
        if u.ratio(3, 4)? {
            let initial = *u.choose(&[0, 0, 1, 1, 2, 3, 17])?;
            let maximum = match u.int_in_range(0..=4)? {
                0 | 1 => None,
                2 => Some(initial),
                3 => Some(initial + u.int_in_range(1..=3)?),
                _ => Some(initial + u.int_in_range(4..=100)?),
            };
            return Ok(MemoryShape::Preview1 { initial, maximum });
        }
        Ok(*u.choose(&[
            MemoryShape::TwoMemories,
            MemoryShape::Memory64,
            MemoryShape::Shared,
            MemoryShape::OneBytePages,
            MemoryShape::ImportedFromEnv,
            MemoryShape::ImportedFromPreview1,
            MemoryShape::Renamed,
        ])?)
    }

    /// The exports the module must have for this shape, as text.
    fn exported_memories(self) -> String {
        match self {
            MemoryShape::Preview1 { initial, maximum } => {
                let maximum = maximum.map(|m| m.to_string()).unwrap_or_default();
                format!(r#"(memory (export "memory") {initial} {maximum})"#)
            }
            MemoryShape::TwoMemories => {
                r#"(memory (export "memory") 1) (memory (export "scratch") 1 2)"#.into()
            }
            MemoryShape::Memory64 => r#"(memory (export "memory") i64 1)"#.into(),
            MemoryShape::Shared => r#"(memory (export "memory") 1 4 shared)"#.into(),
            MemoryShape::OneBytePages
            | MemoryShape::ImportedFromEnv
            | MemoryShape::ImportedFromPreview1 => r#"(memory (export "memory") 1 8)"#.into(),
            MemoryShape::Renamed => r#"(memory (export "mem") 1)"#.into(),
        }
    }

    /// Whether a preview1 toolchain could emit the shape, so the upgrade must
    /// accept it; the others may be refused with a one-line error.
    fn is_preview1(self) -> bool {
        matches!(self, MemoryShape::Preview1 { .. })
    }

    fn label(self) -> &'static str {
        match self {
            MemoryShape::Preview1 { .. } => "preview1 memory",
            MemoryShape::TwoMemories => "two memories",
            MemoryShape::Memory64 => "memory64",
            MemoryShape::Shared => "shared memory",
            MemoryShape::OneBytePages => "one-byte pages",
            MemoryShape::ImportedFromEnv => "memory imported from env",
            MemoryShape::ImportedFromPreview1 => "memory imported from wasi_snapshot_preview1",
            MemoryShape::Renamed => "memory exported as mem",
        }
    }
}

/// What one seed generated.
struct Generated {
    shape: MemoryShape,
    is_command: bool,
    module: Vec<u8>,
}

/// A reproducible stream of bytes for `wasm-smith` (SplitMix64).
fn seeded_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        bytes.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

fn generate(seed: u64) -> arbitrary::Result<Generated> {
    let bytes = seeded_bytes(seed, 64 << 10);
    let mut u = Unstructured::new(&bytes);
    let shape = MemoryShape::arbitrary(&mut u)?;
    let is_command = u.ratio(7, 8)?;
    let entry = if is_command {
        r#"(func (export "_start"))"#
    } else {
        r#"(func (export "_initialize")) (func (export "work") (param i32) (result i32) unreachable)"#
    };
    let exports = format!("(module {} {entry})", shape.exported_memories());

    let max_funcs = u.int_in_range(1..=8)?;
    let max_instructions = u.int_in_range(10..=80)?;
    // Half the modules never trap (wasm-smith masks their addresses into the
    // memory and guards divisions), so their runs go deep; the other half
    // trap where wasm would.
    let disallow_traps = u.arbitrary()?;
    let numeric = if u.arbitrary()? {
        wasm_smith::InstructionKind::Numeric
    } else {
        wasm_smith::InstructionKind::NumericInt
    };
    let config = wasm_smith::Config {
        available_imports: Some(wat::parse_str(PREVIEW1_IMPORTS).expect("the import list")),
        exports: Some(wat::parse_str(&exports).expect("the export list")),
        // The exported memories are the only ones.
        max_memories: 0,
        max_tables: 0,
        max_funcs,
        max_instructions,
        max_nesting_depth: 4,
        max_data_segments: 4,
        max_globals: 4,
        max_types: 12,
        max_imports: 12,
        max_type_size: 200,
        bulk_memory_enabled: true,
        multi_value_enabled: true,
        memory64_enabled: shape == MemoryShape::Memory64,
        threads_enabled: shape == MemoryShape::Shared,
        reference_types_enabled: false,
        gc_enabled: false,
        exceptions_enabled: false,
        simd_enabled: false,
        relaxed_simd_enabled: false,
        tail_call_enabled: false,
        allow_start_export: true,
        disallow_traps,
        // Memory instructions among few others, so most functions touch
        // memory.
        allowed_instructions: wasm_smith::InstructionKinds::new(&[
            numeric,
            wasm_smith::InstructionKind::Memory,
            wasm_smith::InstructionKind::Control,
            wasm_smith::InstructionKind::Variable,
            wasm_smith::InstructionKind::Parametric,
        ]),
        ..wasm_smith::Config::default()
    };
    let module = wasm_smith::Module::new(config, &mut u)?.to_bytes();
    let module = match shape {
        MemoryShape::OneBytePages => MemoryRewrite::OneBytePages.apply(&module),
        MemoryShape::ImportedFromEnv => MemoryRewrite::Imported("env").apply(&module),
        MemoryShape::ImportedFromPreview1 => {
            MemoryRewrite::Imported("wasi_snapshot_preview1").apply(&module)
        }
        MemoryShape::Preview1 { .. } | MemoryShape::TwoMemories if is_command => {
            MemoryDump::survey(&module).map_or(module.clone(), |dump| dump.apply(&module))
        }
        _ => module,
    };
    // A module the generator got wrong would be refused as malformed and
    // so count as a clean refusal: the fuzzer's own mistake, reported as such.
    if let Err(error) = Validator::new_with_features(WasmFeatures::all()).validate_all(&module) {
        panic!("seed {seed} generated an invalid {shape:?} module: {error}");
    }
    Ok(Generated {
        shape,
        is_command,
        module,
    })
}

/// Shapes wasm-smith cannot be asked for directly, made from its module:
/// its only memory (index 0) changed in place.
enum MemoryRewrite {
    OneBytePages,
    /// The memory becomes an import from this module name.
    Imported(&'static str),
}

struct MemoryRewriter {
    rewrite: MemoryRewrite,
    memory: Option<wasmparser::MemoryType>,
    import_emitted: bool,
}

impl MemoryRewrite {
    fn apply(self, module: &[u8]) -> Vec<u8> {
        let memory = Parser::new(0)
            .parse_all(module)
            .find_map(|payload| match payload {
                Ok(Payload::MemorySection(section)) => section.into_iter().next()?.ok(),
                _ => None,
            });
        let mut rewriter = MemoryRewriter {
            rewrite: self,
            memory,
            import_emitted: false,
        };
        let mut rewritten = wasm_encoder::Module::new();
        rewriter
            .parse_core_module(&mut rewritten, Parser::new(0), module)
            .expect("re-encoding a module wasm-smith generated");
        rewritten.finish()
    }
}

impl MemoryRewriter {
    fn memory_import(&mut self, imports: &mut ImportSection) {
        let (&MemoryRewrite::Imported(module), Some(memory)) = (&self.rewrite, self.memory) else {
            return;
        };
        let ty = reencode::utils::memory_type(self, memory);
        imports.import(module, "memory", EntityType::Memory(ty));
        self.import_emitted = true;
    }
}

impl Reencode for MemoryRewriter {
    type Error = std::convert::Infallible;

    wasi_upgrade::reencode_then!(
        memory_type(wasmparser::MemoryType) -> wasm_encoder::MemoryType,
        |this, ty| {
            if let MemoryRewrite::OneBytePages = this.rewrite {
                ty.page_size_log2 = Some(0);
            }
        }
    );

    wasi_upgrade::reencode_then!(
        parse_import_section(ImportSection, wasmparser::ImportSectionReader<'_>),
        |this, imports| this.memory_import(imports)
    );

    fn parse_memory_section(
        &mut self,
        memories: &mut wasm_encoder::MemorySection,
        section: wasmparser::MemorySectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        if self.import_emitted {
            return Ok(());
        }
        reencode::utils::parse_memory_section(self, memories, section)
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), reencode::Error> {
        // A module without imports gets an import section for its memory
        // just before the first section that must follow imports.
        let past_imports = before.is_none_or(|id| id != SectionId::Custom && id as u8 > 2);
        if past_imports
            && !self.import_emitted
            && matches!(self.rewrite, MemoryRewrite::Imported(_))
        {
            let mut imports = ImportSection::new();
            self.memory_import(&mut imports);
            module.section(&imports);
        }
        Ok(())
    }
}

/// Makes what the program left in its memory observable: `_start` becomes
/// a function that calls the generated one and then writes the first
/// [`DUMPED_PAGES`] pages of memory, but for its first 16 bytes (where the
/// call's own arguments go), to stdout with `fd_write`. Only
/// for modules that import `fd_write`; a program that exits or traps shows
/// nothing.
struct MemoryDump {
    types: u32,
    functions: u32,
    fd_write: u32,
    generated_start: u32,
}

const DUMPED_PAGES: i32 = 4;
/// Where the dump's `fd_write` keeps its arguments, below what it dumps.
const NWRITTEN: i32 = 4;
const IOVEC: i32 = 8;
const DUMP_START: i32 = 16;

impl MemoryDump {
    fn survey(module: &[u8]) -> Option<MemoryDump> {
        let (mut types, mut functions, mut fd_write, mut generated_start) = (0, 0, None, None);
        for payload in Parser::new(0).parse_all(module) {
            match payload.ok()? {
                Payload::TypeSection(section) => {
                    for group in section {
                        types += group.ok()?.types().len() as u32;
                    }
                }
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import.ok()?;
                        if let TypeRef::Func(_) = import.ty {
                            if import.name == "fd_write" {
                                fd_write = Some(functions);
                            }
                            functions += 1;
                        }
                    }
                }
                Payload::FunctionSection(section) => functions += section.count(),
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.ok()?;
                        if export.name == "_start" {
                            generated_start = Some(export.index);
                        }
                    }
                }
                _ => {}
            }
        }
        Some(MemoryDump {
            types,
            functions,
            fd_write: fd_write?,
            generated_start: generated_start?,
        })
    }

    fn apply(mut self, module: &[u8]) -> Vec<u8> {
        let mut rewritten = wasm_encoder::Module::new();
        self.parse_core_module(&mut rewritten, Parser::new(0), module)
            .expect("re-encoding a module wasm-smith generated");
        rewritten.finish()
    }

    fn body(&self) -> wasm_encoder::Function {
        use wasm_encoder::{BlockType, MemArg};
        let word = |offset| MemArg {
            offset,
            align: 2,
            memory_index: 0,
        };
        let mut body = wasm_encoder::Function::new([]);
        body.instructions()
            .call(self.generated_start)
            .memory_size(0)
            .i32_eqz()
            .if_(BlockType::Empty)
            .return_()
            .end()
            // iovec.buf = 16
            .i32_const(IOVEC)
            .i32_const(DUMP_START)
            .i32_store(word(0))
            // iovec.len = min(memory.size, DUMPED_PAGES) pages - 16
            .i32_const(IOVEC)
            .memory_size(0)
            .i32_const(DUMPED_PAGES)
            .memory_size(0)
            .i32_const(DUMPED_PAGES)
            .i32_lt_u()
            .select()
            .i32_const(16)
            .i32_shl()
            .i32_const(DUMP_START)
            .i32_sub()
            .i32_store(word(4))
            .i32_const(1)
            .i32_const(IOVEC)
            .i32_const(1)
            .i32_const(NWRITTEN)
            .call(self.fd_write)
            .drop()
            .end();
        body
    }
}

impl Reencode for MemoryDump {
    type Error = std::convert::Infallible;

    wasi_upgrade::reencode_then!(
        parse_type_section(wasm_encoder::TypeSection, wasmparser::TypeSectionReader<'_>),
        |_, types| types.ty().function([], [])
    );

    wasi_upgrade::reencode_then!(
        parse_function_section(
            wasm_encoder::FunctionSection,
            wasmparser::FunctionSectionReader<'_>,
        ),
        |this, functions| functions.function(this.types)
    );

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        for export in section {
            let export = export?;
            let kind = reencode::utils::export_kind(self, export.kind);
            let name = if export.name == "_start" {
                "fuzz_main"
            } else {
                export.name
            };
            exports.export(name, kind, export.index);
        }
        exports.export("_start", wasm_encoder::ExportKind::Func, self.functions);
        Ok(())
    }

    wasi_upgrade::reencode_then!(
        parse_code_section(wasm_encoder::CodeSection, wasmparser::CodeSectionReader<'_>),
        |this, code| code.function(&this.body())
    );
}

/// What a module's shape is, read from the module itself, for classifying
/// failures.
#[derive(Debug, Default)]
struct Facts {
    initial_pages: Option<u64>,
    maximum_pages: Option<u64>,
    page_size_log2: Option<u32>,
    /// The module name the memory is imported from, if it is.
    memory_import: Option<String>,
    has_start_section: bool,
    /// The start function's body (not its callees) uses memory.size/grow.
    start_sizes_memory: bool,
    /// The start function's body calls an import (a preview1 function).
    start_calls_preview1: bool,
    grows_memory: bool,
}

impl Facts {
    fn of(module: &[u8]) -> Facts {
        let mut facts = Facts::default();
        let mut imported_functions = 0;
        let mut start = None;
        let mut defined = 0;
        for payload in Parser::new(0).parse_all(module).flatten() {
            match payload {
                Payload::ImportSection(section) => {
                    for import in section.into_imports().flatten() {
                        match import.ty {
                            TypeRef::Func(_) => imported_functions += 1,
                            TypeRef::Memory(memory) if facts.initial_pages.is_none() => {
                                facts.note_memory(memory);
                                facts.memory_import = Some(import.module.to_owned());
                            }
                            _ => {}
                        }
                    }
                }
                Payload::MemorySection(section) => {
                    if let (None, Some(Ok(memory))) =
                        (facts.initial_pages, section.into_iter().next())
                    {
                        facts.note_memory(memory);
                    }
                }
                Payload::StartSection { func, .. } => {
                    facts.has_start_section = true;
                    start = Some(func);
                }
                Payload::CodeSectionEntry(body) => {
                    let index = imported_functions + defined;
                    defined += 1;
                    let Ok(mut reader) = body.get_operators_reader() else {
                        continue;
                    };
                    while let Ok(operator) = reader.read() {
                        let in_start = start == Some(index);
                        match operator {
                            Operator::MemoryGrow { .. } => {
                                facts.grows_memory = true;
                                facts.start_sizes_memory |= in_start;
                            }
                            Operator::MemorySize { .. } => facts.start_sizes_memory |= in_start,
                            Operator::Call { function_index }
                                if function_index < imported_functions =>
                            {
                                facts.start_calls_preview1 |= in_start;
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        facts
    }

    fn note_memory(&mut self, memory: wasmparser::MemoryType) {
        self.initial_pages = Some(memory.initial);
        self.maximum_pages = memory.maximum;
        self.page_size_log2 = memory.page_size_log2;
    }
}

/// Why a module failed.
#[derive(Debug)]
enum Failure {
    Panicked(String),
    MultiLineError(String),
    InternalError(String),
    RefusedPreview1Module(String),
    InvalidComponent(String),
    NotRunnable(String),
    Differs {
        native: Box<Run>,
        upgraded: Box<Run>,
        why: &'static str,
    },
}

/// How one run ended and what it printed.
#[derive(Debug, Clone)]
struct Run {
    exit: Exit,
    /// What a library's `work` returned.
    returned: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Run {
    fn out_of_fuel(&self) -> bool {
        trap_kind(&self.exit) == Some(Trap::OutOfFuel)
    }

    fn interrupted(&self) -> bool {
        trap_kind(&self.exit) == Some(Trap::Interrupt)
    }
}

fn trap_kind(exit: &Exit) -> Option<Trap> {
    match exit {
        Exit::Trapped { kind, .. } => *kind,
        Exit::Code(_) => None,
    }
}

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::new();
        config.consume_fuel(true);
        config.epoch_interruption(true);
        // Compile time dominates these tiny runs.
        config.cranelift_opt_level(wasmtime::OptLevel::None);
        let engine = Engine::new(&config).expect("a Wasmtime engine that counts fuel");
        let ticker = engine.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(EPOCH_TICK);
                ticker.increment_epoch();
            }
        });
        engine
    })
}

/// A store with `fuel`, interrupted after [`RUN_DEADLINE`] whatever is left.
fn store<T: 'static>(data: T, fuel: u64) -> Store<T> {
    let mut store = Store::new(engine(), data);
    store.set_fuel(fuel).expect("fuel is enabled");
    store.set_epoch_deadline((RUN_DEADLINE.as_millis() / EPOCH_TICK.as_millis()) as u64);
    store
}

fn wasi_builder() -> (WasiCtxBuilder, MemoryOutputPipe, MemoryOutputPipe) {
    let stdout = MemoryOutputPipe::new(64 << 20);
    let stderr = MemoryOutputPipe::new(1 << 20);
    let mut builder = WasiCtxBuilder::new();
    builder
        .args(&ARGS)
        .envs(&ENV)
        .stdin(MemoryInputPipe::new(&b"stdin of the fuzzed module\n"[..]))
        .stdout(stdout.clone())
        .stderr(stderr.clone());
    (builder, stdout, stderr)
}

/// The module on Wasmtime's own preview1, as the suite's oracle runs it.
/// `None` when it cannot even be linked there (an import preview1 lacks).
fn run_native(module: &[u8], is_command: bool, fuel: u64) -> Option<Run> {
    let module = Module::new(engine(), module).ok()?;
    let mut linker = Linker::<WasiP1Ctx>::new(engine());
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |ctx| ctx).expect("preview1 links");
    let pre = linker.instantiate_pre(&module).ok()?;
    let (mut builder, stdout, stderr) = wasi_builder();
    let mut store = store(builder.build_p1(), fuel);
    let mut returned = None;
    let exit = match pre.instantiate(&mut store) {
        Err(error) => Exit::from_error(error),
        Ok(instance) if is_command => {
            let start = instance
                .get_typed_func::<(), ()>(&mut store, "_start")
                .ok()?;
            match start.call(&mut store, ()) {
                Ok(()) => Exit::Code(0),
                Err(error) => Exit::from_error(error),
            }
        }
        // A reactor's `_initialize` belongs to its instantiation, as in the
        // component, which runs it while being instantiated.
        Ok(instance) => {
            let initialize = instance
                .get_typed_func::<(), ()>(&mut store, "_initialize")
                .ok()?;
            let work = instance
                .get_typed_func::<i32, i32>(&mut store, "work")
                .ok()?;
            match initialize.call(&mut store, ()) {
                Err(error) => Exit::from_error(error),
                Ok(()) => match work.call(&mut store, WORK_ARGUMENT) {
                    Ok(result) => {
                        returned = Some(result);
                        Exit::Code(0)
                    }
                    Err(error) => Exit::from_error(error),
                },
            }
        }
    };
    drop(store);
    Some(Run {
        exit,
        returned,
        stdout: stdout.contents().to_vec(),
        stderr: stderr.contents().to_vec(),
    })
}

struct ComponentState {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for ComponentState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// The upgraded component on Wasmtime's WASI 0.2 host, calling
/// `wasi:cli/run` as the suite's `WasmtimeComponent` host does.
fn run_upgraded(component: &[u8], is_command: bool, fuel: u64) -> Result<Run, String> {
    let component = Component::new(engine(), component).map_err(|e| format!("{e:?}"))?;
    let mut linker = ComponentLinker::new(engine());
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("WASI 0.2 links");
    let (mut builder, stdout, stderr) = wasi_builder();
    let mut store = store(
        ComponentState {
            ctx: builder.build(),
            table: ResourceTable::new(),
        },
        fuel,
    );
    let mut returned = None;
    let exit = if is_command {
        match Command::instantiate(&mut store, &component, &linker) {
            Err(error) => Exit::from_error(error),
            Ok(command) => match command.wasi_cli_run().call_run(&mut store) {
                Ok(Ok(())) => Exit::Code(0),
                Ok(Err(())) => Exit::Code(1),
                Err(error) => Exit::from_error(error),
            },
        }
    } else {
        match linker.instantiate(&mut store, &component) {
            Err(error) => Exit::from_error(error),
            Ok(instance) => {
                let work = instance
                    .get_typed_func::<(i32,), (i32,)>(&mut store, "work")
                    .map_err(|e| format!("the upgraded library has no `work(s32) -> s32`: {e}"))?;
                match work.call(&mut store, (WORK_ARGUMENT,)) {
                    Ok((result,)) => {
                        returned = Some(result);
                        Exit::Code(0)
                    }
                    Err(error) => Exit::from_error(error),
                }
            }
        }
    };
    drop(store);
    Ok(Run {
        exit,
        returned,
        stdout: stdout.contents().to_vec(),
        stderr: stderr.contents().to_vec(),
    })
}

/// What one module's check found, for the closing summary.
enum Verdict {
    Refused,
    Upgraded,
    Compared,
    /// As [`Verdict::Compared`], with output (a memory dump, say) compared.
    ComparedOutput,
    /// Native trapped on an access past its memory, the upgraded run did not:
    /// the access landed in the adapter's region (see [`compare`]).
    LandedInRegion,
    /// Native trapped on a bad pointer passed to preview1; the upgraded run's
    /// output began the same way (see [`compare`]).
    AnsweredBadPointer,
    /// The native run reached [`RUN_DEADLINE`].
    TooSlow,
    /// Only the upgraded run reached [`RUN_DEADLINE`].
    TooSlowUpgraded,
}

/// Upgrades the module and, for commands, compares the two runs.
fn check(generated: &Generated) -> Result<Verdict, Failure> {
    let upgraded = catch_unwind(AssertUnwindSafe(|| {
        wasi_upgrade::upgrade(&generated.module, &wasi_upgrade::Options::default())
    }))
    .map_err(|panic| {
        Failure::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        )
    })?;
    let component = match upgraded {
        Err(error) => {
            let message = error.to_string();
            if message.contains('\n') {
                return Err(Failure::MultiLineError(message));
            }
            if matches!(error, wasi_upgrade::Error::Encoding { .. }) {
                return Err(Failure::InternalError(message));
            }
            if generated.shape.is_preview1() {
                return Err(Failure::RefusedPreview1Module(message));
            }
            return Ok(Verdict::Refused);
        }
        Ok(component) => component,
    };
    Validator::new_with_features(WasmFeatures::all())
        .validate_all(&component)
        .map_err(|e| Failure::InvalidComponent(e.to_string()))?;
    let Some(native) = run_native(&generated.module, generated.is_command, NATIVE_FUEL) else {
        return Ok(Verdict::Upgraded);
    };
    let fuel = if native.out_of_fuel() {
        NATIVE_FUEL
    } else {
        UPGRADED_FUEL
    };
    if native.interrupted() {
        return Ok(Verdict::TooSlow);
    }
    let upgraded =
        run_upgraded(&component, generated.is_command, fuel).map_err(Failure::NotRunnable)?;
    if upgraded.interrupted() {
        return Ok(Verdict::TooSlowUpgraded);
    }
    compare(native, upgraded)
}

/// The rules two runs of one module are judged by.
///
/// - Fuel: the upgraded program runs the same instructions as natively plus
///   the adapter's. A native run that finished gets [`UPGRADED_FUEL`]
///   upgraded, and the upgraded run must finish the same way. A native run
///   that ran out of [`NATIVE_FUEL`] is run upgraded with the same fuel: it
///   must run out too (having done at most as much), with stdout and stderr
///   a prefix of the native ones.
/// - Exit codes of 126 and above: native preview1 traps on them ("invalid
///   exit status"), and so does the adapter; the traps compare by cause.
/// - Bad pointers given to preview1: native traps on a pointer out of
///   bounds or not aligned to its type, and so does the adapter, but a call
///   given several bad arguments may refuse another one first (native and
///   the adapter do not check every pair in the same order). A native trap
///   on a pointer accepts any upgraded exit whose output began the same way.
/// - Accesses past the end of memory: natively they trap. Upgraded, the
///   adapter's region lies above the program's memory, so an access landing
///   in the region's pages reads or writes it instead of trapping (a
///   documented limit of the design). A native out-of-bounds trap accepts
///   any upgraded exit whose output began the same way.
fn compare(native: Run, upgraded: Run) -> Result<Verdict, Failure> {
    let differs = |why| Failure::Differs {
        native: Box::new(native.clone()),
        upgraded: Box::new(upgraded.clone()),
        why,
    };
    if native.out_of_fuel() {
        if !upgraded.out_of_fuel() {
            return Err(differs("native ran out of fuel, upgraded did not"));
        }
        if !native.stdout.starts_with(&upgraded.stdout)
            || !native.stderr.starts_with(&upgraded.stderr)
        {
            return Err(differs("the output before running out of fuel differs"));
        }
        return Ok(Verdict::Compared);
    }
    // An access past the program's memory may land in the spare pages or
    // the region instead of trapping (the design's documented limit); the
    // program then runs on, to another end or until its fuel runs out.
    if trap_kind(&native.exit) == Some(Trap::MemoryOutOfBounds)
        && trap_kind(&upgraded.exit) != Some(Trap::MemoryOutOfBounds)
    {
        if !upgraded.stdout.starts_with(&native.stdout) {
            return Err(differs("the output before an access past memory differs"));
        }
        return Ok(Verdict::LandedInRegion);
    }
    if upgraded.out_of_fuel() {
        return Err(differs("upgraded ran out of fuel where native finished"));
    }
    if native_bad_pointer(&native.exit) {
        if !upgraded.stdout.starts_with(&native.stdout) {
            return Err(differs("the output before a bad pointer differs"));
        }
        return Ok(Verdict::AnsweredBadPointer);
    }
    let same_exit = native.exit.same_as(&upgraded.exit);
    if !same_exit || native.returned != upgraded.returned {
        return Err(differs("the runs ended differently"));
    }
    if native.stdout != upgraded.stdout || native.stderr != upgraded.stderr {
        return Err(differs("the output differs"));
    }
    if native.stdout.is_empty() && native.stderr.is_empty() {
        Ok(Verdict::Compared)
    } else {
        Ok(Verdict::ComparedOutput)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panicked(message) => write!(f, "the upgrade panicked: {message}"),
            Failure::MultiLineError(message) => {
                write!(f, "the upgrade's error spans several lines: {message:?}")
            }
            Failure::InternalError(message) => {
                write!(f, "the upgrade failed with an internal error: {message}")
            }
            Failure::RefusedPreview1Module(message) => {
                write!(f, "the upgrade refused a preview1-shaped module: {message}")
            }
            Failure::InvalidComponent(message) => {
                write!(f, "the upgraded component does not validate: {message}")
            }
            Failure::NotRunnable(message) => {
                write!(f, "the upgraded component cannot be run: {message}")
            }
            Failure::Differs {
                native,
                upgraded,
                why,
            } => {
                let show = |run: &Run| match &run.exit {
                    Exit::Code(code) if run.returned.is_some() => {
                        format!("exit {code}, work returned {:?}", run.returned)
                    }
                    Exit::Code(code) => format!("exit {code}"),
                    Exit::Trapped { kind, message } => {
                        format!("trap {kind:?} in {}", trap_site(message))
                    }
                };
                write!(
                    f,
                    "{why}: native {}, upgraded {}; stdout {}; stderr {}",
                    show(native),
                    show(upgraded),
                    first_difference(&native.stdout, &upgraded.stdout),
                    first_difference(&native.stderr, &upgraded.stderr),
                )
            }
        }
    }
}

/// Where two outputs part (they may be memory dumps of hundreds of KiB).
fn first_difference(native: &[u8], upgraded: &[u8]) -> String {
    let Some(at) =
        (0..native.len().max(upgraded.len())).find(|&i| native.get(i) != upgraded.get(i))
    else {
        return format!("the same ({} bytes)", native.len());
    };
    let around = |bytes: &[u8]| {
        let start = at.saturating_sub(8).min(bytes.len());
        let end = (at + 24).min(bytes.len());
        format!("{:?}", String::from_utf8_lossy(&bytes[start..end]))
    };
    format!(
        "differs at byte {at} (native {} bytes: {}, upgraded {} bytes: {})",
        native.len(),
        around(native),
        upgraded.len(),
        around(upgraded)
    )
}

/// Where a trap happened: the innermost frames of its wasm backtrace
/// (`N: 0xOFFSET - NAME`), or its message when it has none.
fn trap_site(message: &str) -> String {
    let frames: Vec<&str> = message
        .lines()
        .filter_map(|line| line.trim().split_once(" - ").map(|(_, name)| name))
        .take(3)
        .collect();
    if frames.is_empty() {
        message.lines().next().unwrap_or_default().to_owned()
    } else {
        frames.join(" < ")
    }
}

/// The seeds and budget of this run.
fn plan() -> (Range<u64>, Option<Duration>) {
    let seeds = match std::env::var("WASI_UPGRADE_FUZZ_SEEDS") {
        Err(_) => CI_SEEDS,
        Ok(text) => {
            let parsed = text.split_once("..").and_then(|(start, end)| {
                Some(start.trim().parse().ok()?..end.trim().parse().ok()?)
            });
            parsed.unwrap_or_else(|| {
                panic!("WASI_UPGRADE_FUZZ_SEEDS must be START..END, not {text:?}")
            })
        }
    };
    let budget = match std::env::var("WASI_UPGRADE_FUZZ_SECONDS") {
        Err(_) => Some(CI_BUDGET),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(0) => None,
            Ok(seconds) => Some(Duration::from_secs(seconds)),
            Err(_) => panic!("WASI_UPGRADE_FUZZ_SECONDS must be a number, not {text:?}"),
        },
    };
    (seeds, budget)
}

/// Keeps a failing module for replay and reading.
fn save(seed: u64, module: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz_rewrite");
    std::fs::create_dir_all(&dir).expect("creating the fuzzer's output directory");
    let path = dir.join(format!("seed-{seed}.wasm"));
    std::fs::write(&path, module).expect("saving a failing module");
    if let Ok(text) = wasmprinter::print_bytes(module) {
        std::fs::write(path.with_extension("wat"), text).expect("saving its text");
    }
    path
}

#[test]
fn fuzz_the_memory_rewrite() {
    let (seeds, budget) = plan();
    let started = Instant::now();
    // Per shape: how many modules ended in each verdict.
    let mut tally: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut too_slow = Vec::new();
    let mut failures = String::new();
    let (mut tried, mut next_seed) = (0, seeds.start);
    for seed in seeds.clone() {
        if budget.is_some_and(|budget| started.elapsed() > budget) {
            break;
        }
        next_seed = seed + 1;
        let Ok(generated) = generate(seed) else {
            continue;
        };
        tried += 1;
        let verdict = match check(&generated) {
            Ok(Verdict::Refused) => "refused",
            Ok(Verdict::Upgraded) => "upgraded (not run natively)",
            Ok(Verdict::Compared) => "ran alike",
            Ok(Verdict::ComparedOutput) => "ran alike, same output",
            Ok(Verdict::LandedInRegion) => "access past memory landed in the region",
            Ok(Verdict::AnsweredBadPointer) => "bad pointer answered",
            Ok(Verdict::TooSlow) => {
                too_slow.push(seed);
                "too slow to compare"
            }
            Ok(Verdict::TooSlowUpgraded) => {
                too_slow.push(seed);
                "too slow to compare, upgraded only"
            }
            Err(failure) => {
                let facts = Facts::of(&generated.module);
                let path = save(seed, &generated.module);
                let _ = writeln!(
                    failures,
                    "seed {seed} ({:?}, {facts:?}, saved as {}): {failure}",
                    generated.shape,
                    path.display()
                );
                "FAILED"
            }
        };
        let kind = if generated.is_command {
            "command"
        } else {
            "library"
        };
        *tally
            .entry(format!("{}, {kind}", generated.shape.label()))
            .or_default()
            .entry(verdict)
            .or_default() += 1;
    }
    let mut summary = format!(
        "fuzz_rewrite: {tried} modules from seeds {}..{next_seed} in {:.1?}\n",
        seeds.start,
        started.elapsed()
    );
    for (shape, verdicts) in &tally {
        let _ = writeln!(summary, "  {shape}: {verdicts:?}");
    }
    if !too_slow.is_empty() {
        let _ = writeln!(
            summary,
            "  too slow to compare (a run passed {RUN_DEADLINE:?}): seeds {too_slow:?}"
        );
    }
    eprint!("{summary}");
    assert!(failures.is_empty(), "fuzz_rewrite failures:\n{failures}");
}
