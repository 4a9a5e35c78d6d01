//! Proof that the adapter's shadow stack cannot overflow: the deepest chain
//! of stack frames any entry into a finished adapter can build must fit in
//! `STACK_PROVEN_BYTES` (see `region_layout.rs`), which is what lets the
//! stack share the region's first page.
//!
//! Every frame is fixed in size: rustc's prologue reads the stack pointer,
//! subtracts a constant and writes it back, and the adapter has no tables,
//! so every call is direct. The deepest chain is then a longest path in the
//! call graph, which has no cycles (a cycle fails the build, since its
//! depth has no bound). On top of an export's chain the host may call
//! `cabi_import_realloc` (while lowering an import's result), and `run`'s
//! chain stays live while the program it calls makes preview1 calls.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use wasmparser::{ExternalKind, KnownCustom, Name, Operator, Parser, Payload, TypeRef};

use crate::region_layout::STACK_PROVEN_BYTES;

/// The stack pointer's name in a finished adapter.
const STACK_POINTER: &str = "adapter_stack_pointer";

/// The module whose imports call into the program.
const MAIN_MODULE: &str = "__main_module__";

/// One function: its frame, the functions it calls, and whether it calls
/// into the program.
#[derive(Default)]
struct Function {
    frame: u32,
    calls: Vec<u32>,
    enters_program: bool,
}

/// Checks `finished` and returns the deepest chain's bytes.
pub fn check(finished: &[u8]) -> Result<u32> {
    let mut imported = 0u32;
    let mut program_imports = Vec::new();
    let mut bodies = Vec::new();
    let mut exports = Vec::new();
    let mut stack_pointer = None;
    let mut names = HashMap::new();
    for payload in Parser::new(0).parse_all(finished) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import?;
                    if let TypeRef::Func(_) = import.ty {
                        if import.module == MAIN_MODULE {
                            program_imports.push(imported);
                        }
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body),
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export?;
                    if export.kind == ExternalKind::Func {
                        exports.push((export.name, export.index));
                    }
                }
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        match name? {
                            Name::Global(map) => {
                                for naming in map {
                                    let naming = naming?;
                                    if naming.name == STACK_POINTER {
                                        stack_pointer = Some(naming.index);
                                    }
                                }
                            }
                            Name::Function(map) => {
                                for naming in map {
                                    let naming = naming?;
                                    names.insert(naming.index, naming.name);
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let stack_pointer = stack_pointer.context("the adapter names no stack pointer")?;
    let name = |index: u32| names.get(&index).copied().unwrap_or("?").to_string();

    let mut functions = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.iter().enumerate() {
        let index = imported + i as u32;
        let mut function = Function::default();
        let mut recent: [Option<Operator<'_>>; 2] = [None, None];
        for operator in body.get_operators_reader()? {
            let operator = operator?;
            match &operator {
                Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                    if *function_index >= imported {
                        function.calls.push(*function_index);
                    } else if program_imports.contains(function_index) {
                        function.enters_program = true;
                    }
                }
                Operator::I32Sub => {
                    if let [
                        Some(Operator::GlobalGet { global_index }),
                        Some(Operator::I32Const { value }),
                    ] = &recent
                        && *global_index == stack_pointer
                    {
                        let frame = u32::try_from(*value)
                            .with_context(|| format!("a negative frame in {}", name(index)))?;
                        function.frame = function.frame.max(frame);
                    }
                }
                Operator::CallIndirect { .. } | Operator::ReturnCallIndirect { .. } => {
                    bail!("{} calls indirectly: its callees are unknown", name(index))
                }
                _ => {}
            }
            recent = [recent[1].take(), Some(operator)];
        }
        functions.push(function);
    }

    let mut depths: Vec<Option<(u32, bool)>> = vec![None; functions.len()];
    let mut visiting = vec![false; functions.len()];
    let mut depth_of = |index: u32| {
        deepest(
            index - imported,
            imported,
            &functions,
            &mut depths,
            &mut visiting,
        )
        .map_err(|cycle| {
            anyhow::anyhow!(
                "{} can call itself: its stack depth has no bound",
                name(cycle + imported)
            )
        })
    };
    let (mut deepest_export, mut realloc, mut around_program) = (0, 0, 0);
    for (export, index) in &exports {
        if *index < imported {
            continue;
        }
        let (depth, enters_program) = depth_of(*index)?;
        if *export == "cabi_import_realloc" {
            realloc = depth;
        } else if enters_program {
            around_program = around_program.max(depth);
        } else {
            deepest_export = deepest_export.max(depth);
        }
    }
    let total = around_program + deepest_export + realloc;
    if total > STACK_PROVEN_BYTES {
        bail!(
            "the adapter's deepest stack use is {total} bytes ({around_program} around the \
             program, {deepest_export} in a call, {realloc} in cabi_import_realloc), more than \
             the {STACK_PROVEN_BYTES} region_layout.rs proves"
        );
    }
    Ok(total)
}

/// The deepest chain of frames from defined function `at`, and whether it
/// can reach the program; `Err` names a function on a cycle.
fn deepest(
    at: u32,
    imported: u32,
    functions: &[Function],
    depths: &mut [Option<(u32, bool)>],
    visiting: &mut [bool],
) -> std::result::Result<(u32, bool), u32> {
    let slot = at as usize;
    if let Some(known) = depths[slot] {
        return Ok(known);
    }
    if visiting[slot] {
        return Err(at);
    }
    visiting[slot] = true;
    let function = &functions[slot];
    let (mut below, mut enters_program) = (0, function.enters_program);
    for &callee in &function.calls {
        let (depth, enters) = deepest(callee - imported, imported, functions, depths, visiting)?;
        below = below.max(depth);
        enters_program |= enters;
    }
    visiting[slot] = false;
    let result = (function.frame + below, enters_program);
    depths[slot] = Some(result);
    Ok(result)
}
