//! Turns the adapter as rustc links it into the module wit-component splices:
//! rejects what wit-component would reject (with the reason), replaces the
//! region intrinsics with synthesised code, makes every export create the
//! region first, adds the memory hooks the rewritten program calls, hides the
//! stack pointer from wit-component and attaches the adapter's world.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Context, Result, bail, ensure};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, CustomSection, ExportKind, ExportSection, FunctionSection, GlobalSection,
    GlobalType, ImportSection, Module, NameMap, NameSection, TypeSection, ValType,
};
use wasmparser::{
    CustomSectionReader, Export, ExternalKind, FuncType, FunctionBody, Global, Import, KnownCustom,
    Name, Operator, Parser, Payload, TypeRef, TypeSectionReader, Validator,
};

use crate::region_code::{self, RegionGlobals};
use crate::region_layout::{
    INTRINSIC_BASE, INTRINSIC_PROGRAM_END, INTRINSICS_MODULE, MEMORY_GROW_EXPORT,
    MEMORY_SIZE_EXPORT, TRAP_NO_MEMORY_FOR_REGION, TRAP_WROTE_PAST_MEMORY, TRAPS,
};

/// rustc's shadow stack pointer, found through the name section.
const STACK_POINTER: &str = "__stack_pointer";

/// wit-component gives a mutable global named `__stack_pointer` a stack of
/// its own, allocated before the program runs, i.e. inside the program's
/// heap. This adapter's stack lives in its region instead.
const RENAMED_STACK_POINTER: &str = "adapter_stack_pointer";

/// The program's entry point, which the adapter imports from `__main_module__`.
const START: &str = "_start";

/// The command adapter's export, whatever WASI 0.2 version it names.
const RUN_EXPORT_PREFIX: &str = "wasi:cli/run@";

/// Which preview1 functions a shipped adapter exports: wit-component then
/// rejects a program importing any other, instead of splicing an answer
/// meant for other programs.
#[derive(Clone, Copy)]
pub enum Preview1Exports {
    /// Every one the adapter defines.
    All,
    /// These only.
    Only(&'static [&'static str]),
    /// Every one but these.
    AllBut(&'static [&'static str]),
}

impl Preview1Exports {
    fn keeps(self, name: &str) -> bool {
        match self {
            Preview1Exports::All => true,
            Preview1Exports::Only(kept) => kept.contains(&name),
            Preview1Exports::AllBut(left_out) => !left_out.contains(&name),
        }
    }
}

/// Finishes the rustc output `raw` into one shipped adapter. The
/// reactor adapter has no `wasi:cli/run` export, so wit-component drops the
/// `_start` import that only `run` uses; of the preview1 functions it keeps
/// `preview1_exports`.
pub fn finish(
    raw: &[u8],
    keep_run_export: bool,
    preview1_exports: Preview1Exports,
    world: &CustomSection<'_>,
) -> Result<Vec<u8>> {
    let adapter = RawAdapter::parse(raw)?;
    let module = adapter.finish(keep_run_export, preview1_exports, world)?;
    Validator::new()
        .validate_all(&module)
        .context("the finished adapter does not validate")?;
    Ok(module)
}

/// The parts of rustc's output the finishing step rebuilds.
#[derive(Default)]
struct RawAdapter<'a> {
    types: Option<TypeSectionReader<'a>>,
    func_types: Vec<FuncType>,
    imports: Vec<Import<'a>>,
    imported_funcs: u32,
    /// Function indices of the `wasi-upgrade:region` imports, in order,
    /// with their names.
    intrinsic_imports: Vec<(u32, &'a str)>,
    memory_imports: u32,
    defined_func_types: Vec<u32>,
    globals: Vec<Global<'a>>,
    exports: Vec<Export<'a>>,
    bodies: Vec<FunctionBody<'a>>,
    module_name: Option<&'a str>,
    func_names: Vec<(u32, &'a str)>,
    global_names: Vec<(u32, &'a str)>,
    /// Custom sections passed through as they are (producers, features).
    other_custom: Vec<CustomSectionReader<'a>>,
}

impl<'a> RawAdapter<'a> {
    fn parse(raw: &'a [u8]) -> Result<Self> {
        let mut adapter = Self::default();
        for payload in Parser::new(0).parse_all(raw) {
            match payload.context("parsing the adapter built by rustc")? {
                Payload::Version { .. } | Payload::End(_) => {}
                Payload::TypeSection(section) => {
                    for ty in section.clone().into_iter_err_on_gc_types() {
                        adapter.func_types.push(ty?);
                    }
                    adapter.types = Some(section);
                }
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        adapter.add_import(import?)?;
                    }
                }
                Payload::FunctionSection(section) => {
                    for ty in section {
                        adapter.defined_func_types.push(ty?);
                    }
                }
                Payload::GlobalSection(section) => {
                    for global in section {
                        adapter.globals.push(global?);
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        adapter.exports.push(export?);
                    }
                }
                Payload::CodeSectionStart { .. } => {}
                Payload::CodeSectionEntry(body) => adapter.bodies.push(body),
                Payload::CustomSection(section) => match section.as_known() {
                    KnownCustom::Name(names) => adapter.read_names(names)?,
                    // Bindings generators embed the worlds they were generated
                    // from; the adapter's world replaces them.
                    _ if section.name().starts_with("component-type") => {}
                    _ => adapter.other_custom.push(section),
                },
                Payload::DataSection(_) | Payload::DataCountSection { .. } => bail!(
                    "the adapter has a data section: a string literal, an initialised static, a \
                     promoted constant or a lookup table was placed in memory, and the adapter \
                     cannot own any memory"
                ),
                // lld defines an empty function table even when nothing uses
                // it; such a table is left out (see `check_no_table_use`).
                Payload::TableSection(_) => {}
                Payload::ElementSection(_) => bail!(
                    "the adapter has an element section: a function pointer, `dyn` call or jump \
                     table puts functions in a table, and the adapter cannot own one"
                ),
                Payload::StartSection { .. } => bail!("the adapter has a start function"),
                Payload::MemorySection(_) => bail!(
                    "the adapter defines a memory: it must import the program's as `env.memory`"
                ),
                other => match other.as_section() {
                    Some((id, _)) => bail!("the adapter has an unsupported section (id {id})"),
                    None => bail!("the adapter is not a plain core module"),
                },
            }
        }
        ensure!(
            adapter.memory_imports == 1,
            "the adapter must import exactly one memory, `env.memory`"
        );
        ensure!(
            adapter.bodies.len() == adapter.defined_func_types.len(),
            "the adapter's function and code sections disagree"
        );
        Ok(adapter)
    }

    fn add_import(&mut self, import: Import<'a>) -> Result<()> {
        let Import { module, name, ty } = import;
        match ty {
            TypeRef::Memory(_) if (module, name) == ("env", "memory") => {
                self.memory_imports += 1;
                self.imports.push(import);
                return Ok(());
            }
            TypeRef::Func(ty) if module == INTRINSICS_MODULE => {
                let returns_address = [INTRINSIC_BASE, INTRINSIC_PROGRAM_END].contains(&name);
                ensure!(
                    returns_address || TRAPS.contains(&name),
                    "the adapter imports `{module}.{name}`, which is not a region intrinsic"
                );
                let results: &[wasmparser::ValType] = if returns_address {
                    &[wasmparser::ValType::I32]
                } else {
                    &[]
                };
                let signature = self.func_types.get(ty as usize);
                ensure!(
                    signature.is_some_and(|f| f.params().is_empty() && f.results() == results),
                    "the adapter imports `{module}.{name}` with a type other than `() -> {results:?}`"
                );
                ensure!(
                    self.intrinsic_imports.iter().all(|(_, n)| *n != name),
                    "the adapter imports `{module}.{name}` twice"
                );
                self.intrinsic_imports.push((self.imported_funcs, name));
            }
            TypeRef::Func(_) if module.starts_with("wasi:") || module == "__main_module__" => {}
            _ => bail!(
                "the adapter imports `{module}.{name}`; wit-component only accepts `env.memory`, \
                 functions of `wasi:*` interfaces and of `__main_module__`"
            ),
        }
        self.imports.push(import);
        self.imported_funcs += 1;
        Ok(())
    }

    fn read_names(&mut self, names: wasmparser::NameSectionReader<'a>) -> Result<()> {
        for subsection in names {
            match subsection? {
                Name::Module { name, .. } => self.module_name = Some(name),
                Name::Function(map) => {
                    for naming in map {
                        let naming = naming?;
                        self.func_names.push((naming.index, naming.name));
                    }
                }
                Name::Global(map) => {
                    for naming in map {
                        let naming = naming?;
                        self.global_names.push((naming.index, naming.name));
                    }
                }
                // Local, label and other names would need the same
                // renumbering for little gain in a trap's backtrace.
                _ => {}
            }
        }
        Ok(())
    }

    /// The finished module has no table, so nothing may use one.
    fn check_no_table_use(&self, operator: &Operator<'_>, func: u32) -> Result<()> {
        use Operator::*;
        if let CallIndirect { .. }
        | ReturnCallIndirect { .. }
        | TableGet { .. }
        | TableSet { .. }
        | TableSize { .. }
        | TableGrow { .. }
        | TableFill { .. }
        | TableCopy { .. }
        | TableInit { .. } = operator
        {
            let name = self.func_names.iter().find(|(index, _)| *index == func);
            bail!(
                "adapter function {} makes an indirect call (a function pointer, `dyn` call or \
                 jump table), which needs a table the adapter cannot own",
                name.map_or_else(|| format!("#{func}"), |(_, name)| format!("`{name}`"))
            );
        }
        Ok(())
    }

    fn stack_pointer(&self) -> Result<u32> {
        let (index, _) = self
            .global_names
            .iter()
            .find(|(_, name)| *name == STACK_POINTER)
            .with_context(|| {
                format!(
                    "the adapter has no global named `{STACK_POINTER}`; was its name section \
                     stripped?"
                )
            })?;
        let global = self.globals.get(*index as usize);
        ensure!(
            global.is_some_and(|g| g.ty.mutable && g.ty.content_type == wasmparser::ValType::I32),
            "the adapter's `{STACK_POINTER}` is not a mutable i32 global"
        );
        Ok(*index)
    }

    /// Checks what `adapter/src/exit.rs` promises and the region's moves rely
    /// on: the program runs (`_start` is called) only from `run`, and `run`
    /// has no shadow-stack frame while it does, so no adapter pointer into the
    /// region is live when the program grows memory and the region moves.
    /// A frame shows as `run` writing the stack pointer before the call.
    fn check_run_holds_no_frame(&self) -> Result<()> {
        let Some(start) = self.main_module_function(START) else {
            return Ok(());
        };
        let run = self
            .exports
            .iter()
            .find(|e| e.kind == ExternalKind::Func && e.name.starts_with(RUN_EXPORT_PREFIX))
            .map(|e| e.index)
            .context("the adapter imports `_start` but exports no `wasi:cli/run`")?;
        let stack_pointer = self.stack_pointer()?;
        for (i, body) in self.bodies.iter().enumerate() {
            let func = self.imported_funcs + i as u32;
            let mut frame_pushed = false;
            let mut reader = body.get_operators_reader()?;
            while !reader.eof() {
                match reader.read()? {
                    Operator::GlobalSet { global_index } if global_index == stack_pointer => {
                        frame_pushed = true;
                    }
                    Operator::Call { function_index } | Operator::ReturnCall { function_index }
                        if function_index == start =>
                    {
                        ensure!(
                            func == run,
                            "adapter function #{func} calls `_start`; only `run` may, from a \
                             frame that holds nothing"
                        );
                        ensure!(
                            !frame_pushed,
                            "`run` moves the stack pointer before calling `_start`: a shadow-stack \
                             frame would be live while the program runs and may move the region \
                             (see adapter/src/exit.rs)"
                        );
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The function index of the `__main_module__` import `name`, if any.
    fn main_module_function(&self, name: &str) -> Option<u32> {
        self.imports
            .iter()
            .filter(|import| matches!(import.ty, TypeRef::Func(_)))
            .position(|import| import.module == "__main_module__" && import.name == name)
            .map(|index| index as u32)
    }

    /// The exports the finished adapter keeps: all but `wasi:cli/run`
    /// unless `keep_run_export`, and of the preview1 functions
    /// `preview1_exports`.
    fn kept_exports(
        &self,
        keep_run_export: bool,
        preview1_exports: Preview1Exports,
    ) -> Result<Vec<&Export<'a>>> {
        let mut kept = Vec::new();
        for export in &self.exports {
            ensure!(
                export.kind != ExternalKind::Table,
                "the adapter exports a table; it cannot own one"
            );
            if !keep_run_export && export.name.starts_with(RUN_EXPORT_PREFIX) {
                continue;
            }
            // Every function export but the run and `cabi_*` ones is a
            // preview1 function.
            let preview1 = export.kind == ExternalKind::Func
                && !export.name.starts_with(RUN_EXPORT_PREFIX)
                && !export.name.starts_with("cabi_");
            if preview1 && !preview1_exports.keeps(export.name) {
                continue;
            }
            kept.push(export);
        }
        Ok(kept)
    }

    /// Which functions (by index, imports first) the kept exports reach:
    /// the rest is left out, so an adapter that keeps only some preview1
    /// functions carries only their code and imports. (wit-component would
    /// drop them from each component anyway; this keeps the shipped file
    /// as small.) The region intrinsics are always replaced, never kept.
    fn live_functions(&self, kept_exports: &[&Export<'_>]) -> Result<Vec<bool>> {
        let total = self.imported_funcs as usize + self.bodies.len();
        let mut live = vec![false; total];
        let mut pending: Vec<u32> = kept_exports
            .iter()
            .filter(|export| export.kind == ExternalKind::Func)
            .map(|export| export.index)
            .collect();
        while let Some(func) = pending.pop() {
            let Some(slot) = live.get_mut(func as usize) else {
                bail!("the adapter refers to function #{func}, which does not exist");
            };
            if std::mem::replace(slot, true) || func < self.imported_funcs {
                continue;
            }
            let body = &self.bodies[(func - self.imported_funcs) as usize];
            let mut operators = body.get_operators_reader()?;
            while !operators.eof() {
                if let Operator::Call { function_index }
                | Operator::ReturnCall { function_index }
                | Operator::RefFunc { function_index } = operators.read()?
                {
                    pending.push(function_index);
                }
            }
        }
        for (index, _) in &self.intrinsic_imports {
            live[*index as usize] = false;
        }
        Ok(live)
    }

    /// Each function's index in the finished adapter: the live ones keep
    /// their order, each trap intrinsic becomes its replacement, and the
    /// dead ones and the inlined intrinsics get none (`u32::MAX`; nothing
    /// live refers to them but by the calls that are inlined).
    fn new_indices(&self, live: &[bool], layout: &Layout) -> Vec<u32> {
        let mut next = 0;
        (0..live.len() as u32)
            .map(|func| {
                if let Some((_, name)) = self.intrinsic_imports.iter().find(|(i, _)| *i == func) {
                    layout.intrinsic(name).unwrap_or(u32::MAX)
                } else if live[func as usize] {
                    next += 1;
                    next - 1
                } else {
                    u32::MAX
                }
            })
            .collect()
    }

    fn finish(
        &self,
        keep_run_export: bool,
        preview1_exports: Preview1Exports,
        world: &CustomSection<'_>,
    ) -> Result<Vec<u8>> {
        self.check_run_holds_no_frame()?;
        for name in [MEMORY_SIZE_EXPORT, MEMORY_GROW_EXPORT] {
            ensure!(
                self.exports.iter().all(|e| e.name != name),
                "the adapter exports `{name}` itself; the finishing step synthesises it"
            );
        }
        let kept_exports = self.kept_exports(keep_run_export, preview1_exports)?;
        let live = self.live_functions(&kept_exports)?;
        let layout = Layout::new(live.iter().filter(|&&l| l).count() as u32);
        let globals = RegionGlobals {
            region_base: self.globals.len() as u32,
            program_end: self.globals.len() as u32 + 1,
            stack_pointer: self.stack_pointer()?,
            move_region: layout.move_region,
            trap_no_memory: layout.trap(TRAP_NO_MEMORY_FOR_REGION),
            trap_wrote_past_memory: layout.trap(TRAP_WROTE_PAST_MEMORY),
        };
        let mut renumber = Renumber {
            new_index: self.new_indices(&live, &layout),
        };
        let inlined = |func: u32| {
            let (_, name) = self.intrinsic_imports.iter().find(|(i, _)| *i == func)?;
            Inlined::of(name)
        };

        let mut types = TypeSection::new();
        if let Some(section) = self.types.clone() {
            renumber.parse_type_section(&mut types, section)?;
        }
        let type_returns_i32 = types.len();
        types.ty().function([], [ValType::I32]);
        let type_empty = types.len();
        types.ty().function([], []);
        let type_i32_to_i32 = types.len();
        types.ty().function([ValType::I32], [ValType::I32]);
        let type_i32_i32_to_i32 = types.len();
        types
            .ty()
            .function([ValType::I32, ValType::I32], [ValType::I32]);

        let mut imports = ImportSection::new();
        let mut func_index = 0;
        for import in &self.imports {
            if let TypeRef::Func(_) = import.ty {
                func_index += 1;
                if !live[func_index - 1] {
                    continue;
                }
            }
            renumber.parse_import(&mut imports, *import)?;
        }

        let mut functions = FunctionSection::new();
        for (i, ty) in self.defined_func_types.iter().enumerate() {
            if live[self.imported_funcs as usize + i] {
                functions.function(renumber.type_index(*ty)?);
            }
        }
        let mut code = CodeSection::new();
        // The host calls `cabi_import_realloc` only while lowering the
        // result of an import the adapter made, from inside a call that has
        // entered the region already: it needs no second entry.
        let exported: HashSet<u32> = self
            .exports
            .iter()
            .filter(|e| e.kind == ExternalKind::Func && e.name != "cabi_import_realloc")
            .map(|e| e.index)
            .collect();
        for (i, body) in self.bodies.iter().enumerate() {
            let index = self.imported_funcs + i as u32;
            if !live[index as usize] {
                continue;
            }
            let mut function = renumber.new_function_with_parsed_locals(body)?;
            if exported.contains(&index) {
                function.instructions().call(layout.enter);
            }
            let mut operators = body.get_operators_reader()?;
            while !operators.eof() {
                let operator = operators.read()?;
                self.check_no_table_use(&operator, index)?;
                match operator {
                    Operator::Call { function_index }
                        if let Some(intrinsic) = inlined(function_index) =>
                    {
                        intrinsic.push(&mut function.instructions(), &globals)
                    }
                    operator => {
                        function.instruction(&renumber.instruction(operator)?);
                    }
                }
            }
            code.function(&function);
        }
        // In `Layout`'s order.
        let synthesised = [
            (type_empty, region_code::enter(&globals)),
            (type_returns_i32, region_code::memory_size(&globals)),
            (type_i32_i32_to_i32, region_code::memory_grow(&globals)),
            (type_i32_to_i32, region_code::move_region(&globals)),
        ]
        .into_iter()
        .chain(TRAPS.map(|_| (type_empty, region_code::trap())));
        for (ty, body) in synthesised {
            functions.function(ty);
            code.function(&body);
        }

        let mut global_section = GlobalSection::new();
        for global in &self.globals {
            renumber.parse_global(&mut global_section, global.clone())?;
        }
        // `region_base`, then `program_end`.
        for _ in 0..2 {
            global_section.global(
                GlobalType {
                    val_type: ValType::I32,
                    mutable: true,
                    shared: false,
                },
                &wasm_encoder::ConstExpr::i32_const(0),
            );
        }

        let mut exports = ExportSection::new();
        for export in &kept_exports {
            renumber.parse_export(&mut exports, **export)?;
        }
        exports.export(MEMORY_SIZE_EXPORT, ExportKind::Func, layout.memory_size);
        exports.export(MEMORY_GROW_EXPORT, ExportKind::Func, layout.memory_grow);

        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&functions)
            .section(&global_section)
            .section(&exports)
            .section(&code)
            .section(&self.names(&mut renumber, &layout, &globals)?);
        for section in &self.other_custom {
            module.section(&RoundtripReencoder.custom_section(section.clone())?);
        }
        module.section(world);
        Ok(module.finish())
    }

    /// Names that make a backtrace through the adapter readable survive:
    /// its exports (the preview1 functions a program called, `run`), the
    /// synthesised region code and the traps, each named for why it traps.
    /// Its internal Rust functions go unnamed: their paths were a third of
    /// what the adapter adds to a C hello world, and a backtrace still
    /// shows which preview1 call and which trap it passed through. The stack
    /// pointer is renamed so wit-component does not allocate a stack for it.
    fn names(
        &self,
        renumber: &mut Renumber,
        layout: &Layout,
        globals: &RegionGlobals,
    ) -> Result<NameSection> {
        let mut funcs: BTreeMap<u32, String> = BTreeMap::new();
        // Imports are named by the import section already; naming them
        // again would only add bytes to every component. Mangled names are
        // the internal functions'.
        for (index, name) in &self.func_names {
            let internal = rustc_demangle::try_demangle(name).is_ok();
            if *index >= self.imported_funcs && renumber.is_kept(*index) && !internal {
                funcs.insert(renumber.function_index(*index)?, (*name).into());
            }
        }
        funcs.insert(layout.enter, "wasi_upgrade_enter_region".into());
        funcs.insert(layout.memory_size, MEMORY_SIZE_EXPORT.into());
        funcs.insert(layout.memory_grow, MEMORY_GROW_EXPORT.into());
        funcs.insert(layout.move_region, "wasi_upgrade_move_region".into());
        for (i, name) in TRAPS.iter().enumerate() {
            funcs.insert(layout.first_trap + i as u32, (*name).into());
        }

        let mut global_names = BTreeMap::new();
        for (index, name) in &self.global_names {
            let name = if *name == STACK_POINTER {
                RENAMED_STACK_POINTER
            } else {
                name
            };
            global_names.insert(*index, name);
        }
        global_names.insert(globals.region_base, "region_base");
        global_names.insert(globals.program_end, "program_end");

        let mut names = NameSection::new();
        if let Some(name) = self.module_name {
            names.module(name);
        }
        names.functions(&name_map(funcs));
        names.globals(&name_map(global_names));
        Ok(names)
    }
}

fn name_map<S: AsRef<str>>(names: BTreeMap<u32, S>) -> NameMap {
    let mut map = NameMap::new();
    for (index, name) in names {
        map.append(index, name.as_ref());
    }
    map
}

/// The intrinsics whose calls become their few instructions, in place.
#[derive(Clone, Copy)]
enum Inlined {
    Base,
    ProgramEnd,
}

impl Inlined {
    fn of(name: &str) -> Option<Self> {
        match name {
            INTRINSIC_BASE => Some(Self::Base),
            INTRINSIC_PROGRAM_END => Some(Self::ProgramEnd),
            _ => None,
        }
    }

    fn push(self, code: &mut wasm_encoder::InstructionSink<'_>, globals: &RegionGlobals) {
        match self {
            Self::Base => region_code::push_base(code, globals),
            Self::ProgramEnd => region_code::push_program_end(code, globals),
        }
    }
}

/// Where the synthesised functions go: after the `kept` functions of rustc's.
struct Layout {
    enter: u32,
    memory_size: u32,
    memory_grow: u32,
    move_region: u32,
    /// The traps follow, in `TRAPS` order.
    first_trap: u32,
}

impl Layout {
    fn new(kept: u32) -> Self {
        let first = kept;
        Self {
            enter: first,
            memory_size: first + 1,
            memory_grow: first + 2,
            move_region: first + 3,
            first_trap: first + 4,
        }
    }

    fn trap(&self, name: &str) -> u32 {
        let position = TRAPS.iter().position(|trap| *trap == name);
        self.first_trap + position.expect("a trap of region_layout::TRAPS") as u32
    }

    /// The synthesised function that replaces intrinsic import `name`;
    /// `None` for those whose calls are inlined.
    fn intrinsic(&self, name: &str) -> Option<u32> {
        match Inlined::of(name) {
            Some(_) => None,
            None => Some(self.trap(name)),
        }
    }
}

/// Moves function indices as leaving out the intrinsic imports and the
/// dead functions requires (`RawAdapter::new_indices`).
struct Renumber {
    /// Each function's new index; `u32::MAX` for those left out and for
    /// the inlined intrinsics, which nothing may refer to but a call.
    new_index: Vec<u32>,
}

impl Renumber {
    fn is_kept(&self, func: u32) -> bool {
        self.new_index
            .get(func as usize)
            .is_some_and(|&index| index != u32::MAX)
    }
}

/// A function the finished adapter leaves out, referred to where the
/// finishing step cannot drop the reference.
#[derive(Debug)]
struct FunctionLeftOut(u32);

impl std::fmt::Display for FunctionLeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the adapter refers to function #{}, which it leaves out: a region intrinsic \
             used other than by a call (calls are inlined), or a function no kept export reaches",
            self.0
        )
    }
}

impl std::error::Error for FunctionLeftOut {}

impl Reencode for Renumber {
    type Error = FunctionLeftOut;

    fn function_index(
        &mut self,
        func: u32,
    ) -> Result<u32, wasm_encoder::reencode::Error<FunctionLeftOut>> {
        match self.new_index.get(func as usize) {
            Some(&index) if index != u32::MAX => Ok(index),
            _ => Err(wasm_encoder::reencode::Error::UserError(FunctionLeftOut(
                func,
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{ConstExpr, EntityType, Function, IndirectNameMap, Instruction, MemoryType};

    /// A raw adapter whose `run` runs `prologue`, then calls `_start`.
    fn adapter_with_run(prologue: &[Instruction<'_>]) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        types.ty().function([], [ValType::I32]);
        module.section(&types);
        let mut imports = ImportSection::new();
        let memory = MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        imports.import("env", "memory", EntityType::Memory(memory));
        imports.import("__main_module__", START, EntityType::Function(0));
        module.section(&imports);
        let mut functions = FunctionSection::new();
        functions.function(1);
        module.section(&functions);
        let mut globals = GlobalSection::new();
        let stack = GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        };
        globals.global(stack, &ConstExpr::i32_const(0));
        module.section(&globals);
        let mut exports = ExportSection::new();
        exports.export("wasi:cli/run@0.2.12#run", ExportKind::Func, 1);
        module.section(&exports);
        let mut body = Function::new([]);
        for instruction in prologue {
            body.instruction(instruction);
        }
        body.instruction(&Instruction::Call(0));
        body.instruction(&Instruction::I32Const(0));
        body.instruction(&Instruction::End);
        let mut code = CodeSection::new();
        code.function(&body);
        module.section(&code);
        let mut names = NameSection::new();
        let mut global_names = NameMap::new();
        global_names.append(0, STACK_POINTER);
        names.globals(&global_names);
        names.locals(&IndirectNameMap::new());
        module.section(&names);
        module.finish()
    }

    #[test]
    fn run_may_call_start_from_a_frame_that_holds_nothing() {
        let raw = adapter_with_run(&[]);
        let adapter = RawAdapter::parse(&raw).unwrap();
        adapter.check_run_holds_no_frame().unwrap();
    }

    #[test]
    fn run_may_not_call_start_with_a_frame_live() {
        let raw = adapter_with_run(&[
            Instruction::GlobalGet(0),
            Instruction::I32Const(16),
            Instruction::I32Sub,
            Instruction::GlobalSet(0),
        ]);
        let adapter = RawAdapter::parse(&raw).unwrap();
        let error = adapter.check_run_holds_no_frame().unwrap_err();
        assert!(
            error.to_string().contains("moves the stack pointer"),
            "{error}"
        );
    }

    #[test]
    fn only_what_the_kept_exports_reach_is_kept() {
        let raw = adapter_with_run(&[]);
        let adapter = RawAdapter::parse(&raw).unwrap();
        // `_start` (import 0) and `run` (function 1).
        let with_run = adapter.kept_exports(true, Preview1Exports::All).unwrap();
        assert_eq!(adapter.live_functions(&with_run).unwrap(), [true, true]);
        let without_run = adapter.kept_exports(false, Preview1Exports::All).unwrap();
        assert_eq!(
            adapter.live_functions(&without_run).unwrap(),
            [false, false]
        );
    }
}
