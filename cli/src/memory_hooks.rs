//! Routes the program's `memory.size` and `memory.grow` through the adapter.
//!
//! The adapter keeps its state in a region at the top of the program's own
//! memory. Programs that size their heap from `memory.size` (Go's runtime,
//! greedy allocators) would claim that region, and programs that grow memory
//! would grow it past the region. So every `memory.size 0` and
//! `memory.grow 0` of the program becomes a call to an adapter export that
//! reports and grows memory as if the region were not there.
//!
//! The two hooks are new function imports from `wasi_snapshot_preview1`
//! (wit-component links them to the adapter's exports of the same names).
//! They are appended after the existing function imports, so every defined
//! function moves up by two and each reference to one is renumbered.
//!
//! Two more changes make room for the region without the program noticing:
//!
//! * The memory's declared maximum moves from the memory into the grow hook:
//!   each `memory.grow` passes the program's own maximum (65536 pages when
//!   it declares none), so the program still gets -1 exactly where it would
//!   natively, while the region can sit above that maximum instead of taking
//!   pages the program could have had.
//! * A start function runs at instantiation, before wit-component has
//!   connected the adapter, so one that calls WASI or touches memory would
//!   trap. It moves into `_initialize` (created if the module has none, and
//!   run before the module's own otherwise), which wit-component calls once
//!   everything is connected and before anything else runs.

use std::borrow::Cow;
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, CustomSection, DataSection, Encode, EntityType, ExportKind, ExportSection,
    FunctionSection, ImportSection, Instruction, RawSection, SectionId, TypeSection, ValType,
};
use wasmparser::{
    BinaryReader, BinaryReaderError, CodeSectionReader, CompositeInnerType, ExternalKind,
    FuncToValidate, FuncValidator, FuncValidatorAllocations, FunctionBody, Parser, Payload,
    SubType, TypeRef, ValidatorResources, WasmFeatures,
};

/// A function body and, if it is to be validated while routed, its
/// validator.
type BodyToRoute<'a> = (FunctionBody<'a>, Option<FuncToValidate<ValidatorResources>>);

use crate::operator_scan::{self, Change};
use crate::{WASI_PREVIEW1, added_functions, name_section, payloads, stand_in};

/// The adapter exports that replace the program's `memory.size` and
/// `memory.grow` (named in `adapter/src/region_layout.rs`, the adapter's side
/// of the contract; the adapter-shape tests check that they agree).
pub(crate) const MEMORY_SIZE_EXPORT: &str = "wasi_upgrade_memory_size";
pub(crate) const MEMORY_GROW_EXPORT: &str = "wasi_upgrade_memory_grow";

const SIZE_RESULTS: [ValType; 1] = [ValType::I32];
const GROW_PARAMS: [ValType; 2] = [ValType::I32, ValType::I32];
const GROW_RESULTS: [ValType; 1] = [ValType::I32];

/// The opcodes of `call`, `return_call` and `ref.func`, each followed by a
/// function index.
const CALL: u8 = 0x10;
const RETURN_CALL: u8 = 0x12;
const REF_FUNC: u8 = 0xd2;

/// Appends `index` in the LEB128 form of wasm's indices, as `u32::encode`
/// would, with no buffer or copy in between.
fn push_index(out: &mut Vec<u8>, mut index: u32) {
    while index >= 0x80 {
        out.push(index as u8 | 0x80);
        index >>= 7;
    }
    out.push(index as u8);
}

/// Writes `index` as [`push_index`] would into `out`, which is
/// [`index_len`] bytes long.
fn put_index(out: &mut [u8], mut index: u32) {
    let last = out.len() - 1;
    for (i, byte) in out.iter_mut().enumerate() {
        let more = if i < last { 0x80 } else { 0 };
        *byte = index as u8 & 0x7f | more;
        index >>= 7;
    }
}

/// How many bytes [`push_index`] writes for `index`.
fn index_len(index: u32) -> usize {
    (32 - index.leading_zeros()).div_ceil(7).max(1) as usize
}

/// A 32-bit memory of 64 KiB pages never has more than this many.
const MAX_PAGES: u32 = 65536;

/// The export wit-component calls once the component is connected.
const INITIALIZE: &str = "_initialize";

/// A module after [`route_through_adapter`]: `module`, except that when
/// `code` is given, the contents of its code section are those pieces (the
/// count, then runs of bodies), and when `data` is given, the contents of its
/// data section are those, the input's own. The routed bodies are kept
/// apart so that they are copied only once, into the component, and the
/// data segments so that they are not read one by one to be copied.
pub(crate) struct Routed<'a> {
    pub module: Cow<'a, [u8]>,
    pub code: Option<Vec<Vec<u8>>>,
    pub data: Option<&'a [u8]>,
}

/// `module` with its memory instructions routed through the adapter, its
/// memory's maximum lifted and its start function moved into `_initialize`,
/// or `module` itself, byte for byte, if it needs none of that.
///
/// With `validators` (one per function body of `module`, in order), every
/// body is validated too, and any invalid one fails the rewrite. A routed
/// body is valid exactly when the original was, so a caller that passes
/// them need not validate the bodies of the result again.
pub(crate) fn route_through_adapter(
    module: &[u8],
    validators: Option<Vec<FuncToValidate<ValidatorResources>>>,
) -> Result<Routed<'_>, reencode::Error> {
    let survey = Survey::of(module)?;
    let mut router = HookRouter::new(&survey);
    // The bodies are read once: routed on the chance that they have memory
    // instructions, which is what any program that allocates has.
    let routed = router.route_bodies(module, survey.code.clone(), validators)?;
    if !routed.found_memory_instruction && survey.start.is_none() && survey.maximum.is_none() {
        return Ok(Routed {
            module: Cow::Borrowed(module),
            code: None,
            data: None,
        });
    }
    let without_start;
    let input = if survey.start.is_some() {
        without_start = drop_start_section(module)?;
        &without_start[..]
    } else {
        module
    };
    // Everything but the routed bodies, which go before the code section's
    // own rather than through the encoder's growing buffers.
    let mut rewritten = wasm_encoder::Module::new();
    router.parse_core_module(&mut rewritten, Parser::new(0), input)?;
    let rewritten = rewritten.finish();
    let data = survey.data.map(|range| &module[range]);
    // Not a parser's pass: the code section has too few bodies yet.
    let code = stand_in::sections(&rewritten)
        .find(|section| !matches!(section, Ok((id, _)) if *id != SectionId::Code as u8))
        .transpose()?
        .map(|(_, range)| range);
    let Some(code) = code else {
        return Ok(Routed {
            module: Cow::Owned(rewritten),
            code: None,
            data,
        });
    };
    // The code section as encoded holds only the appended `_initialize`, if
    // any: its count, then that body.
    let mut appended = BinaryReader::new(&rewritten[code.clone()], 0);
    let appended_count = appended.read_var_u32()?;
    let appended_bodies = rewritten[code.start + appended.current_position()..code.end].to_vec();
    let mut count = Vec::new();
    (routed.count + appended_count).encode(&mut count);
    let mut pieces = vec![count];
    pieces.extend(routed.shares);
    pieces.push(appended_bodies);
    Ok(Routed {
        module: Cow::Owned(rewritten),
        code: Some(pieces),
        data,
    })
}

/// `module` without its start section, every other section as it was.
fn drop_start_section(module: &[u8]) -> Result<Vec<u8>, wasmparser::BinaryReaderError> {
    let mut copy = wasm_encoder::Module::new();
    for section in stand_in::sections(module) {
        let (id, range) = section?;
        if id != SectionId::Start as u8 {
            copy.section(&RawSection {
                id,
                data: &module[range],
            });
        }
    }
    Ok(copy.finish())
}

/// What the rewrite must know before it starts emitting sections.
#[derive(Default)]
struct Survey {
    imported_functions: u32,
    defined_functions: u32,
    types: u32,
    /// Existing types the hooks can use instead of adding their own.
    size_type: Option<u32>,
    grow_type: Option<u32>,
    /// Where the code section's contents are in the module.
    code: std::ops::Range<usize>,
    /// Where the data section's contents are, if it has one.
    data: Option<std::ops::Range<usize>>,
    /// The memory's declared maximum, in pages.
    maximum: Option<u32>,
    /// The start function and its type (always `[] -> []`).
    start: Option<(u32, u32)>,
    /// Every function's type index, imports first.
    function_types: Vec<u32>,
    /// Types `[] -> []`, the only type an `_initialize` may have.
    no_params_no_results: Vec<u32>,
    /// Whether the module exports an `_initialize` that is not a function
    /// of that type.
    unusable_initialize: bool,
}

impl Survey {
    fn of(module: &[u8]) -> Result<Survey, wasmparser::BinaryReaderError> {
        let mut survey = Survey::default();
        for payload in payloads::without_bodies(module) {
            match payload? {
                Payload::TypeSection(section) => {
                    for group in section {
                        let group = group?;
                        // A type inside an explicit recursion group is a
                        // different type from an identical one outside it.
                        let reusable = !group.is_explicit_rec_group();
                        for ty in group.types() {
                            if reusable {
                                survey.note_type(ty);
                            }
                            survey.types += 1;
                        }
                    }
                }
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        if let TypeRef::Func(ty) | TypeRef::FuncExact(ty) = import?.ty {
                            survey.imported_functions += 1;
                            survey.function_types.push(ty);
                        }
                    }
                }
                Payload::FunctionSection(section) => {
                    for ty in section {
                        survey.function_types.push(ty?);
                        survey.defined_functions += 1;
                    }
                }
                // Validation lets only one memory, defined here, through.
                Payload::MemorySection(section) => {
                    for memory in section {
                        let maximum = memory?.maximum;
                        survey.maximum = maximum.map(|m| m.min(u64::from(MAX_PAGES)) as u32);
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export?;
                        if export.name == INITIALIZE {
                            let ty = survey.function_types.get(export.index as usize);
                            let callable = export.kind == ExternalKind::Func
                                && ty.is_some_and(|ty| survey.no_params_no_results.contains(ty));
                            survey.unusable_initialize = !callable;
                        }
                    }
                }
                // A start function can only move into an `_initialize` it
                // can call; otherwise it stays, as wit-component would refuse
                // such an `_initialize` anyway.
                Payload::StartSection { func, .. } if !survey.unusable_initialize => {
                    let ty = survey.function_types.get(func as usize).copied();
                    survey.start = ty.map(|ty| (func, ty));
                }
                Payload::CodeSectionStart { range, .. } => survey.code = range,
                Payload::DataSection(section) => survey.data = Some(section.range()),
                _ => {}
            }
        }
        Ok(survey)
    }

    fn note_type(&mut self, ty: &SubType) {
        let func = match &ty.composite_type.inner {
            CompositeInnerType::Func(func)
                if ty.is_final
                    && ty.supertype_idx.is_none()
                    && !ty.composite_type.shared
                    && ty.composite_type.descriptor_idx.is_none()
                    && ty.composite_type.describes_idx.is_none() =>
            {
                func
            }
            _ => return,
        };
        if func.params().is_empty() && func.results().is_empty() {
            self.no_params_no_results.push(self.types);
        }
        let i32_only = |types: &[wasmparser::ValType]| types == [wasmparser::ValType::I32];
        let i32_pair = [wasmparser::ValType::I32, wasmparser::ValType::I32];
        match (func.params(), func.results()) {
            ([], results) if i32_only(results) => {
                self.size_type.get_or_insert(self.types);
            }
            (params, results) if params == i32_pair && i32_only(results) => {
                self.grow_type.get_or_insert(self.types);
            }
            _ => {}
        }
    }
}

/// Re-encodes a module with the hooks imported and called.
struct HookRouter {
    imported_functions: u32,
    defined_functions: u32,
    size_type: u32,
    grow_type: u32,
    /// Whether the hook types must be appended to the type section.
    add_size_type: bool,
    add_grow_type: bool,
    hooks_imported: bool,
    hook_types_added: bool,
    /// The program's own maximum, which every grow passes to the hook.
    maximum: u32,
    /// The start function (original index) and its type, to run first in
    /// `_initialize`.
    start: Option<(u32, u32)>,
    /// The module's own `_initialize` (new index), which runs after it.
    own_initialize: Option<u32>,
}

/// The function bodies of a module, routed.
struct RoutedBodies {
    /// Consecutive runs of bodies, each encoded as in a code section (size,
    /// then body), in order.
    shares: Vec<Vec<u8>>,
    count: u32,
    found_memory_instruction: bool,
}

impl HookRouter {
    fn new(survey: &Survey) -> HookRouter {
        let size_type = survey.size_type.unwrap_or(survey.types);
        let next_free = survey.types + u32::from(survey.size_type.is_none());
        HookRouter {
            imported_functions: survey.imported_functions,
            defined_functions: survey.defined_functions,
            size_type,
            grow_type: survey.grow_type.unwrap_or(next_free),
            add_size_type: survey.size_type.is_none(),
            add_grow_type: survey.grow_type.is_none(),
            hooks_imported: false,
            hook_types_added: false,
            maximum: survey.maximum.unwrap_or(MAX_PAGES),
            start: survey.start,
            own_initialize: None,
        }
    }

    /// The index function `func` of the input has in the output.
    fn renumbered(&self, func: u32) -> u32 {
        if func < self.imported_functions {
            func
        } else {
            func + 2
        }
    }

    /// Every body of the code section at `code` in `module`, routed, on
    /// every core it pays to use; and whether any had a memory instruction. With
    /// `validators` (one per body, in order), each body is also validated as
    /// it is read, so that its operators are decoded only once.
    fn route_bodies(
        &self,
        module: &[u8],
        code: std::ops::Range<usize>,
        validators: Option<Vec<FuncToValidate<ValidatorResources>>>,
    ) -> Result<RoutedBodies, BinaryReaderError> {
        let mut routed = RoutedBodies {
            shares: Vec::new(),
            count: 0,
            found_memory_instruction: false,
        };
        if code.is_empty() {
            return Ok(routed);
        }
        let reader = BinaryReader::new(&module[code.clone()], code.start);
        let bodies = CodeSectionReader::new(reader)?
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        routed.count = bodies.len() as u32;
        let mut validators = validators.map(Vec::into_iter);
        let mut bodies = bodies
            .into_iter()
            .map(|body| (body, validators.as_mut().and_then(Iterator::next)));
        // Contiguous shares of about equal size, so the order is kept by
        // concatenating them.
        let threads = crate::validation::threads_for(code.len());
        let share_size = code.len().div_ceil(threads);
        let mut shares: Vec<Vec<BodyToRoute<'_>>> = Vec::new();
        let mut share = Vec::new();
        let mut size = 0;
        for (body, validator) in bodies.by_ref() {
            size += body.range().len();
            share.push((body, validator));
            if size >= share_size {
                shares.push(std::mem::take(&mut share));
                size = 0;
            }
        }
        if !share.is_empty() {
            shares.push(share);
        }
        let route_share = |share: Vec<BodyToRoute<'_>>| {
            let mut found = false;
            let mut allocations = FuncValidatorAllocations::default();
            let size = share.iter().map(|(body, _)| body.range().len() + 8).sum();
            let mut encoded = Vec::with_capacity(size);
            for (body, to_validate) in share {
                let mut validator = to_validate.map(|v| v.into_validator(allocations));
                // The body is routed straight after room for its size,
                // which nearly always takes as many bytes as the original's
                // (a routed body differs by a few bytes, if at all), rather
                // than apart and then copied.
                let start = encoded.len();
                let room = index_len(body.range().len() as u32);
                encoded.resize(start + room, 0);
                self.route_body(&body, validator.as_mut(), &mut encoded, &mut found)?;
                let end = encoded.len();
                let size = (end - start - room) as u32;
                let needed = index_len(size);
                if needed != room {
                    let moved_end = end - room + needed;
                    encoded.resize(end.max(moved_end), 0);
                    encoded.copy_within(start + room..end, start + needed);
                    encoded.truncate(moved_end);
                }
                put_index(&mut encoded[start..start + needed], size);
                allocations = validator
                    .map(FuncValidator::into_allocations)
                    .unwrap_or_default();
            }
            Ok((encoded, found))
        };
        let results: Vec<Result<_, BinaryReaderError>> = std::thread::scope(|scope| {
            let mut shares = shares.into_iter();
            let first = shares.next();
            let others: Vec<_> = shares
                .map(|share| scope.spawn(move || route_share(share)))
                .collect();
            let mut results = vec![first.map_or(Ok((Vec::new(), false)), route_share)];
            for other in others {
                results.push(
                    other
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                );
            }
            results
        });
        for result in results {
            let (share, found) = result?;
            routed.shares.push(share);
            routed.found_memory_instruction |= found;
        }
        Ok(routed)
    }

    /// `body` with its function references renumbered and its memory
    /// instructions calling the hooks, validated by `validator` if given.
    /// Everything else is copied as it is, which is most of the bytes: only
    /// calls and `ref.func` change.
    fn route_body(
        &self,
        body: &FunctionBody<'_>,
        validator: Option<&mut FuncValidator<ValidatorResources>>,
        routed: &mut Vec<u8>,
        found_memory_instruction: &mut bool,
    ) -> Result<(), BinaryReaderError> {
        let bytes = body.as_bytes();
        let base = body.range().start;
        let mut copied = 0;
        let mut validator = validator;
        let mut reader = match validator.as_deref_mut() {
            Some(validator) => {
                let mut reader = body.get_binary_reader();
                validator.read_locals(&mut reader)?;
                reader
            }
            None => body.get_binary_reader_for_operators()?,
        };
        // As the validator reads them.
        reader.set_features(WasmFeatures::all());
        let mut maximum_needed = false;
        operator_scan::scan(reader, validator, |start, end, change| {
            // Each replacement is an opcode and a function index, written
            // directly: there are as many as the program has calls, and
            // building an `Instruction` for each costs as much again.
            let (opcode, function) = match change {
                Change::Call(function) if function >= self.imported_functions => {
                    (CALL, self.renumbered(function))
                }
                Change::ReturnCall(function) if function >= self.imported_functions => {
                    (RETURN_CALL, self.renumbered(function))
                }
                Change::RefFunc(function) if function >= self.imported_functions => {
                    (REF_FUNC, self.renumbered(function))
                }
                Change::MemorySize => (CALL, self.size_function()),
                Change::MemoryGrow => (CALL, self.grow_function()),
                _ => return,
            };
            routed.extend_from_slice(&bytes[copied..start - base]);
            // Every `memory.grow` is preceded by the maximum it must respect.
            if change == Change::MemoryGrow {
                Instruction::I32Const(self.maximum as i32).encode(routed);
            }
            maximum_needed |= matches!(change, Change::MemorySize | Change::MemoryGrow);
            routed.push(opcode);
            push_index(routed, function);
            copied = end - base;
        })?;
        *found_memory_instruction |= maximum_needed;
        routed.extend_from_slice(&bytes[copied..]);
        Ok(())
    }

    fn size_function(&self) -> u32 {
        self.imported_functions
    }

    fn grow_function(&self) -> u32 {
        self.imported_functions + 1
    }

    /// The function that runs the start function, then the module's own
    /// `_initialize`, appended after every other function.
    fn initialize_function(&self) -> u32 {
        self.imported_functions + 2 + self.defined_functions
    }

    /// Appends the hook types the module lacks, in the order `new` numbered
    /// them.
    fn add_hook_types(&mut self, types: &mut TypeSection) {
        if self.add_size_type {
            types.ty().function([], SIZE_RESULTS);
        }
        if self.add_grow_type {
            types.ty().function(GROW_PARAMS, GROW_RESULTS);
        }
        self.hook_types_added = true;
    }

    fn import_hooks(&mut self, imports: &mut ImportSection) {
        imports.import(
            WASI_PREVIEW1,
            MEMORY_SIZE_EXPORT,
            EntityType::Function(self.size_type),
        );
        imports.import(
            WASI_PREVIEW1,
            MEMORY_GROW_EXPORT,
            EntityType::Function(self.grow_type),
        );
        self.hooks_imported = true;
    }
}

impl Reencode for HookRouter {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error> {
        Ok(self.renumbered(func))
    }

    crate::reencode_then!(
        /// The memory's maximum becomes the grow hook's business.
        memory_type(wasmparser::MemoryType) -> wasm_encoder::MemoryType,
        |_, memory| memory.maximum = None
    );

    crate::reencode_then!(
        parse_type_section(TypeSection, wasmparser::TypeSectionReader<'_>),
        |this, types| this.add_hook_types(types)
    );

    crate::reencode_then!(
        parse_import_section(ImportSection, wasmparser::ImportSectionReader<'_>),
        |this, imports| this.import_hooks(imports)
    );

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        // The added function runs the start function before `_initialize`.
        let initialize = self.start.map(|(_, ty)| self.type_index(ty)).transpose()?;
        added_functions::declare_after_own(self, functions, section, initialize)
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        _section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        // The routed bodies are spliced in before it by
        // `route_through_adapter`.
        if let Some((start, _)) = self.start {
            let start = self.function_index(start)?;
            let mut initialize = wasm_encoder::Function::new([]);
            initialize.instructions().call(start);
            if let Some(own) = self.own_initialize {
                initialize.instructions().call(own);
            }
            initialize.instructions().end();
            code.function(&initialize);
        }
        Ok(())
    }

    /// Data segments refer to no function: the input's go into the module
    /// as they are, in place of this empty section (see [`Routed`]).
    fn parse_data_section(
        &mut self,
        _data: &mut DataSection,
        _section: wasmparser::DataSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        let Some(_) = self.start else {
            return reencode::utils::parse_export_section(self, exports, section);
        };
        for export in section {
            let export = export?;
            if export.name == INITIALIZE && export.kind == ExternalKind::Func {
                self.own_initialize = Some(self.function_index(export.index)?);
                continue;
            }
            self.parse_export(exports, export)?;
        }
        exports.export(INITIALIZE, ExportKind::Func, self.initialize_function());
        Ok(())
    }

    /// Creates the type and import sections for a module that has none, at
    /// the first section that must follow them.
    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), reencode::Error> {
        if !self.hook_types_added && before != Some(SectionId::Type) {
            let mut types = TypeSection::new();
            self.add_hook_types(&mut types);
            module.section(&types);
        }
        if !self.hooks_imported && !matches!(before, Some(SectionId::Type | SectionId::Import)) {
            let mut imports = ImportSection::new();
            self.import_hooks(&mut imports);
            module.section(&imports);
        }
        Ok(())
    }

    /// DWARF describes code by byte offset, and re-encoding moves every
    /// instruction, so debug info kept here would point at the wrong code.
    fn parse_custom_section(
        &mut self,
        module: &mut wasm_encoder::Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        if section.name().starts_with(".debug_") {
            return Ok(());
        }
        if section.name() == "name" {
            let data = name_section::renumber_functions(section.data(), |f| self.renumbered(f))?;
            module.section(&CustomSection {
                name: Cow::Borrowed("name"),
                data: Cow::Owned(data),
            });
            return Ok(());
        }
        reencode::utils::parse_custom_section(self, module, section)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{ElementItems, ExternalKind, Name, Operator, Validator};

    /// The module `routed` describes, in one piece.
    fn whole(routed: Routed<'_>) -> Vec<u8> {
        let mut module = wasm_encoder::Module::new();
        for section in stand_in::sections(&routed.module) {
            let (id, range) = section.unwrap();
            let contents = match (&routed.code, routed.data) {
                (Some(code), _) if id == SectionId::Code as u8 => code.concat(),
                (_, Some(data)) if id == SectionId::Data as u8 => data.to_vec(),
                _ => routed.module[range].to_vec(),
            };
            module.section(&RawSection {
                id,
                data: &contents,
            });
        }
        module.finish()
    }

    fn rewrite(text: &str) -> Vec<u8> {
        rewrite_bytes(&wat::parse_str(text).unwrap())
    }

    fn rewrite_bytes(module: &[u8]) -> Vec<u8> {
        let rewritten = whole(route_through_adapter(module, None).unwrap());
        assert_eq!(
            whole(route_through_adapter(module, Some(validators(module))).unwrap()),
            rewritten,
            "validating while routing changes nothing"
        );
        Validator::new()
            .validate_all(&rewritten)
            .expect("the rewrite validates");
        rewritten
    }

    fn validators(module: &[u8]) -> Vec<FuncToValidate<ValidatorResources>> {
        let (_, bodies) = crate::validation::check_but_bodies(module).unwrap();
        bodies.into_validators()
    }

    #[test]
    fn an_invalid_body_fails_only_the_validating_rewrite() {
        let module = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (func (export "_start") (drop (memory.size)) drop))"#,
        )
        .unwrap();
        assert!(route_through_adapter(&module, None).is_ok());
        assert!(route_through_adapter(&module, Some(validators(&module))).is_err());
    }

    /// Each function body's operators, one `Debug` line each.
    fn bodies(module: &[u8]) -> Vec<String> {
        let mut bodies = Vec::new();
        for payload in Parser::new(0).parse_all(module) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let operators = body.get_operators_reader().unwrap().into_iter();
                bodies.push(operators.map(|op| format!("{:?}\n", op.unwrap())).collect());
            }
        }
        bodies
    }

    #[test]
    fn leaves_a_module_without_memory_instructions_untouched() {
        let module = wat::parse_str(
            r#"(module (memory (export "memory") 1) (func (export "_start") i32.const 0 drop))"#,
        )
        .unwrap();
        let routed = route_through_adapter(&module, None).unwrap();
        assert!(matches!(routed.module, Cow::Borrowed(_)) && routed.code.is_none());
    }

    #[test]
    fn replaces_memory_instructions_and_renumbers_functions() {
        let rewritten = rewrite(
            r#"(module
                 (type $v (func))
                 (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
                 (import "env" "g" (global i32))
                 (memory (export "memory") 1)
                 (table 2 funcref)
                 (global funcref (ref.func $grow))
                 (elem (i32.const 0) func $start $grow)
                 (elem declare funcref (ref.func $size))
                 (start $init)
                 (func $init)
                 (func $start (export "_start")
                   call $yield drop
                   call $grow
                   return_call $init)
                 (func $grow (export "grow")
                   (drop (memory.grow (memory.size))))
                 (func $size (result i32) ref.func $size drop memory.size))"#,
        );
        let mut names = Vec::new();
        let mut exports = Vec::new();
        let mut start = None::<u32>;
        let mut elements = Vec::new();
        let mut constant_refs = Vec::new();
        let mut note_refs = |expr: wasmparser::ConstExpr<'_>| {
            for op in expr.get_operators_reader() {
                if let Operator::RefFunc { function_index } = op.unwrap() {
                    constant_refs.push(function_index);
                }
            }
        };
        for payload in Parser::new(0).parse_all(&rewritten) {
            match payload.unwrap() {
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import.unwrap();
                        names.push(format!("{}.{}", import.module, import.name));
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.unwrap();
                        if export.kind == ExternalKind::Func {
                            exports.push((export.name.to_string(), export.index));
                        }
                    }
                }
                Payload::StartSection { func, .. } => start = Some(func),
                Payload::GlobalSection(section) => {
                    for global in section {
                        note_refs(global.unwrap().init_expr);
                    }
                }
                Payload::ElementSection(section) => {
                    for element in section {
                        match element.unwrap().items {
                            ElementItems::Functions(funcs) => {
                                elements.extend(funcs.into_iter().map(Result::unwrap))
                            }
                            ElementItems::Expressions(_, exprs) => {
                                exprs.into_iter().for_each(|e| note_refs(e.unwrap()))
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(
            names,
            [
                "wasi_snapshot_preview1.sched_yield",
                "env.g",
                "wasi_snapshot_preview1.wasi_upgrade_memory_size",
                "wasi_snapshot_preview1.wasi_upgrade_memory_grow",
            ]
        );
        // Imports: yield 0, size 1, grow 2; defined: init 3, start 4, grow 5,
        // size 6, and the new `_initialize` 7, which runs the start function.
        assert_eq!(
            exports,
            [
                ("_start".to_string(), 4),
                ("grow".to_string(), 5),
                ("_initialize".to_string(), 7)
            ]
        );
        assert_eq!(start, None);
        assert_eq!(elements, [4, 5]);
        assert_eq!(constant_refs, [5, 6]);

        let bodies = bodies(&rewritten);
        assert_eq!(bodies[0], "End\n");
        assert_eq!(
            bodies[1],
            "Call { function_index: 0 }\nDrop\nCall { function_index: 5 }\n\
             ReturnCall { function_index: 3 }\nEnd\n"
        );
        assert_eq!(
            bodies[2],
            "Call { function_index: 1 }\nI32Const { value: 65536 }\nCall { function_index: 2 }\n\
             Drop\nEnd\n"
        );
        assert_eq!(
            bodies[3],
            "RefFunc { function_index: 6 }\nDrop\nCall { function_index: 1 }\nEnd\n"
        );
        assert_eq!(bodies[4], "Call { function_index: 3 }\nEnd\n");
    }

    /// The memory's maximum, with or without memory instructions.
    fn memory_limits(module: &[u8]) -> (u64, Option<u64>) {
        Parser::new(0)
            .parse_all(module)
            .find_map(|p| match p.unwrap() {
                Payload::MemorySection(s) => {
                    let memory = s.into_iter().next().unwrap().unwrap();
                    Some((memory.initial, memory.maximum))
                }
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn moves_the_maximum_from_the_memory_into_every_grow() {
        let rewritten = rewrite(
            r#"(module (memory (export "memory") 2 5)
                 (func (export "_start") (drop (memory.grow (i32.const 1)))))"#,
        );
        assert_eq!(memory_limits(&rewritten), (2, None));
        assert_eq!(
            bodies(&rewritten)[0],
            "I32Const { value: 1 }\nI32Const { value: 5 }\nCall { function_index: 1 }\nDrop\n\
             End\n"
        );
        let without_instructions = rewrite(r#"(module (memory (export "memory") 1 1))"#);
        assert_eq!(memory_limits(&without_instructions), (1, None));
    }

    #[test]
    fn writes_indices_as_the_encoder_does() {
        for index in [
            0,
            1,
            0x7f,
            0x80,
            0x3fff,
            0x4000,
            0x1f_ffff,
            0x20_0000,
            u32::MAX,
        ] {
            let (mut ours, mut encoder) = (Vec::new(), Vec::new());
            push_index(&mut ours, index);
            index.encode(&mut encoder);
            assert_eq!(ours, encoder, "{index}");
            assert_eq!(index_len(index), ours.len(), "{index}");
            let mut put = vec![0xff; ours.len()];
            put_index(&mut put, index);
            assert_eq!(put, ours, "{index}");
        }
    }

    #[test]
    fn sizes_a_body_that_needs_more_or_fewer_bytes_for_its_size_once_routed() {
        // `memory.grow` gains a constant; a call with a padded index is
        // written with the shortest (and `memory.size`, as long as its
        // replacement, makes the module one to rewrite): each way across a
        // size of 128 bytes.
        let grow = [0x41, 0x01, 0x40, 0x00, 0x1a];
        let padded_call = [0x10, 0x80, 0x80, 0x80, 0x80, 0x00, 0x3f, 0x00, 0x1a];
        for operators in [&grow[..], &padded_call[..]] {
            for nops in 110..130 {
                let mut code = vec![0x01; nops];
                code.extend_from_slice(operators);
                code.push(0x0b);
                let mut module = wasm_encoder::Module::new();
                let mut types = TypeSection::new();
                types.ty().function([], []);
                let mut functions = FunctionSection::new();
                functions.function(0);
                let mut memories = wasm_encoder::MemorySection::new();
                memories.memory(wasm_encoder::MemoryType {
                    minimum: 1,
                    maximum: None,
                    memory64: false,
                    shared: false,
                    page_size_log2: None,
                });
                let mut exports = ExportSection::new();
                exports.export("memory", ExportKind::Memory, 0);
                exports.export("_start", ExportKind::Func, 0);
                let mut body = wasm_encoder::Function::new([]);
                body.raw(code);
                let mut bodies_section = CodeSection::new();
                bodies_section.function(&body);
                module
                    .section(&types)
                    .section(&functions)
                    .section(&memories)
                    .section(&exports)
                    .section(&bodies_section);
                let rewritten = rewrite_bytes(&module.finish());
                let routed = &bodies(&rewritten)[0];
                assert_eq!(routed.matches("Nop").count(), nops, "{operators:?} {nops}");
            }
        }
    }

    #[test]
    fn keeps_the_data_segments_as_they_are() {
        let module = wat::parse_str(
            r#"(module (memory (export "memory") 1)
                 (data (i32.const 8) "active")
                 (data "passive")
                 (func (export "_start") (data.drop 1) (drop (memory.size))))"#,
        )
        .unwrap();
        let data_section = |module: &[u8]| {
            stand_in::sections(module)
                .map(Result::unwrap)
                .find(|(id, _)| *id == SectionId::Data as u8)
                .map(|(_, range)| module[range].to_vec())
        };
        assert_eq!(data_section(&rewrite_bytes(&module)), data_section(&module));
    }

    #[test]
    fn keeps_the_start_function_when_initialize_cannot_be_called() {
        let rewritten = rewrite(
            r#"(module (memory (export "memory") 1)
                 (func $own (export "_initialize") (param i32))
                 (func $init)
                 (start $init))"#,
        );
        let start = Parser::new(0)
            .parse_all(&rewritten)
            .find_map(|p| match p.unwrap() {
                Payload::StartSection { func, .. } => Some(func),
                _ => None,
            });
        assert_eq!(start, Some(1), "the module is left as it is");
    }

    #[test]
    fn runs_the_start_function_before_the_module_s_own_initialize() {
        let rewritten = rewrite(
            r#"(module (memory (export "memory") 1)
                 (func $own (export "_initialize"))
                 (func $init)
                 (start $init))"#,
        );
        let mut exports = Vec::new();
        for payload in Parser::new(0).parse_all(&rewritten) {
            match payload.unwrap() {
                Payload::StartSection { .. } => panic!("the start section stayed"),
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.unwrap();
                        exports.push((export.name.to_string(), export.index));
                    }
                }
                _ => {}
            }
        }
        // Hooks 0 and 1; own 2, init 3, the new `_initialize` 4.
        assert_eq!(
            exports,
            [("memory".to_string(), 0), ("_initialize".to_string(), 4)]
        );
        assert_eq!(
            bodies(&rewritten)[2],
            "Call { function_index: 3 }\nCall { function_index: 2 }\nEnd\n"
        );
    }

    #[test]
    fn reuses_identical_types_and_adds_missing_ones() {
        let type_count = |module: &[u8]| -> usize {
            Parser::new(0)
                .parse_all(module)
                .filter_map(|p| match p.unwrap() {
                    Payload::TypeSection(s) => Some(s.count() as usize),
                    _ => None,
                })
                .sum()
        };
        let with_both = rewrite(
            r#"(module (type (func (result i32))) (type (func (param i32 i32) (result i32)))
                 (memory (export "memory") 1)
                 (func (export "_start") (drop (memory.grow (memory.size)))))"#,
        );
        assert_eq!(type_count(&with_both), 3);
        let with_neither = rewrite(
            r#"(module (memory (export "memory") 1)
                 (func (export "_start") (drop (memory.size))))"#,
        );
        assert_eq!(type_count(&with_neither), 3);
    }

    #[test]
    fn creates_the_import_section_and_keeps_names_but_not_dwarf() {
        let rewritten = rewrite(
            r#"(module
                 (@custom ".debug_info" "offsets into the old code")
                 (@custom "kept" "anything else")
                 (memory (export "memory") 1)
                 (func $first (export "_start") (local $x i32) (drop (memory.size)))
                 (func $second))"#,
        );
        let mut imports = 0;
        let mut custom_sections = Vec::new();
        let mut function_names = Vec::new();
        let mut local_owners = Vec::new();
        for payload in Parser::new(0).parse_all(&rewritten) {
            match payload.unwrap() {
                Payload::ImportSection(section) => imports += section.into_imports().count(),
                Payload::CustomSection(section) => {
                    custom_sections.push(section.name().to_string());
                    let wasmparser::KnownCustom::Name(names) = section.as_known() else {
                        continue;
                    };
                    for name in names {
                        match name.unwrap() {
                            Name::Function(map) => function_names.extend(
                                map.into_iter()
                                    .map(|n| n.unwrap())
                                    .map(|n| (n.index, n.name.to_string())),
                            ),
                            Name::Local(map) => {
                                local_owners.extend(map.into_iter().map(|n| n.unwrap().index))
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(imports, 2);
        assert_eq!(custom_sections, ["kept", "name"]);
        assert_eq!(
            function_names,
            [(2, "first".to_string()), (3, "second".to_string())]
        );
        assert_eq!(local_owners, [2]);
    }
}
