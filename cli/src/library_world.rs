//! A WIT world for a plain library: one that exports core functions but
//! carries no WIT world of its own (it was not built with a bindings
//! generator).
//!
//! wit-component turns into component exports only what the module's world
//! names, and without a world a library would lose every export. So each
//! exported function that WIT can describe is described: numbers only
//! (`i32`, `i64`, `f32`, `f64` become `s32`, `s64`, `f32`, `f64`), at most
//! one result. A component function's name must be a WIT identifier
//! (`kebab-case`), so `sum_bytes` and `sumBytes` are exported as
//! `sum-bytes`, through an extra core export of that name. Functions whose
//! names start with `_` (`_initialize`, `__wasm_call_ctors`), the canonical
//! ABI's `cabi_*` helpers, and anything WIT cannot express are left out.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write;

use anyhow::{Context, Result};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{CustomSection, ExportKind, ExportSection, Module, RawSection};
use wasmparser::{CompositeInnerType, ExternalKind, FuncType, Parser, Payload, TypeRef, ValType};
use wit_component::StringEncoding;
use wit_parser::Resolve;

/// The package and world of the synthesised description.
const PACKAGE: &str = "wasi-upgrade:library";
const WORLD: &str = "library";

/// `module` with a world describing its exports attached, or `module`
/// itself if none of them can be described.
pub(crate) fn describe_exports(module: &[u8]) -> Result<Cow<'_, [u8]>> {
    let exports = describable_exports(module)?;
    if exports.is_empty() {
        return Ok(Cow::Borrowed(module));
    }
    let section = CustomSection {
        name: Cow::Borrowed("component-type:wasi-upgrade-library"),
        data: Cow::Owned(encode_world(&exports)?),
    };
    let mut described = Module::new();
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload?;
        match payload {
            Payload::ExportSection(section) => {
                let mut renamed = ExportSection::new();
                for export in section {
                    RoundtripReencoder.parse_export(&mut renamed, export?)?;
                }
                for export in exports.iter().filter(|e| e.wit_name != e.core_name) {
                    renamed.export(&export.wit_name, ExportKind::Func, export.index);
                }
                described.section(&renamed);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    described.section(&RawSection {
                        id,
                        data: &module[range],
                    });
                }
            }
        }
    }
    described.section(&section);
    Ok(Cow::Owned(described.finish()))
}

/// A core function export that WIT can describe.
struct Described {
    core_name: String,
    wit_name: String,
    index: u32,
    ty: FuncType,
}

/// The exports to describe, in export order, with unique WIT names. Names
/// that are WIT identifiers already are taken first, so they keep theirs.
fn describable_exports(module: &[u8]) -> Result<Vec<Described>> {
    let mut types = Vec::new();
    let mut func_types = Vec::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::TypeSection(section) => {
                for group in section {
                    for ty in group?.into_types() {
                        types.push(match ty.composite_type.inner {
                            CompositeInnerType::Func(func) => Some(func),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    if let TypeRef::Func(ty) | TypeRef::FuncExact(ty) = import?.ty {
                        func_types.push(ty);
                    }
                }
            }
            Payload::FunctionSection(section) => {
                for ty in section {
                    func_types.push(ty?);
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export?;
                    if export.kind == ExternalKind::Func {
                        exports.push((export.name.to_owned(), export.index));
                    }
                }
            }
            _ => {}
        }
    }

    let candidates = exports.into_iter().filter_map(|(core_name, index)| {
        let ty = func_types
            .get(index as usize)
            .and_then(|ty| types.get(*ty as usize))
            .cloned()
            .flatten()?;
        let describable = ty.results().len() <= 1
            && ty
                .params()
                .iter()
                .chain(ty.results())
                .all(|t| wit_type(*t).is_some());
        let wit_name = wit_name(&core_name)?;
        describable.then_some(Described {
            core_name,
            wit_name,
            index,
            ty,
        })
    });
    let (exact, renamed): (Vec<_>, Vec<_>) = candidates.partition(|e| e.wit_name == e.core_name);
    let mut taken: BTreeSet<String> = exact.iter().map(|e| e.wit_name.clone()).collect();
    let mut described = exact;
    for export in renamed {
        if taken.insert(export.wit_name.clone()) {
            described.push(export);
        }
    }
    Ok(described)
}

/// The WIT identifier a core export is published under, if it gets one.
fn wit_name(core_name: &str) -> Option<String> {
    if core_name.starts_with('_') || core_name.starts_with("cabi_") {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in core_name.chars() {
        if c == '_' || c == '-' {
            words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
            previous_lower = false;
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        if c.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    words.extend((!word.is_empty()).then_some(word));
    // Each word of a WIT identifier starts with a letter.
    let valid = !words.is_empty()
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_lowercase()));
    valid.then(|| words.join("-"))
}

fn wit_type(ty: ValType) -> Option<&'static str> {
    match ty {
        ValType::I32 => Some("s32"),
        ValType::I64 => Some("s64"),
        ValType::F32 => Some("f32"),
        ValType::F64 => Some("f64"),
        _ => None,
    }
}

/// The `component-type` section of a world exporting `exports`. The world
/// is written as WIT text and parsed, which checks it as any WIT is checked.
fn encode_world(exports: &[Described]) -> Result<Vec<u8>> {
    let mut wit = format!("package {PACKAGE};\nworld {WORLD} {{\n");
    for export in exports {
        // `%` lets any identifier through, keywords such as `type` included.
        let params: Vec<String> = (0..export.ty.params().len())
            .zip(export.ty.params())
            .map(|(i, ty)| format!("p{i}: {}", wit_type(*ty).unwrap_or_default()))
            .collect();
        write!(
            wit,
            "  export %{}: func({})",
            export.wit_name,
            params.join(", ")
        )?;
        if let Some(result) = export.ty.results().first() {
            write!(wit, " -> {}", wit_type(*result).unwrap_or_default())?;
        }
        wit.push_str(";\n");
    }
    wit.push_str("}\n");

    let mut resolve = Resolve::default();
    let package = resolve
        .push_str("library.wit", &wit)
        .with_context(|| format!("describing the library's exports as WIT:\n{wit}"))?;
    let world = resolve.select_world(&[package], Some(WORLD))?;
    wit_component::metadata::encode(&resolve, world, StringEncoding::UTF8, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_wit_identifiers() {
        for (core, wit) in [
            ("add", Some("add")),
            ("sum-bytes", Some("sum-bytes")),
            ("sum_bytes", Some("sum-bytes")),
            ("sumBytes", Some("sum-bytes")),
            ("SumBytes", Some("sum-bytes")),
            ("sha256_digest", Some("sha256-digest")),
            ("type", Some("type")),
            ("_initialize", None),
            ("__wasm_call_ctors", None),
            ("cabi_realloc", None),
            ("2fast", None),
            ("a_2", None),
            ("wasi:cli/run@0.2.12#run", None),
        ] {
            assert_eq!(wit_name(core).as_deref(), wit, "{core}");
        }
    }

    #[test]
    fn describes_numeric_exports_only() {
        let module = wat::parse_str(
            r#"(module
                (memory (export "memory") 1)
                (func (export "_initialize"))
                (func (export "add") (param i32 i32) (result i32) local.get 0)
                (func (export "mix_types") (param i64 f32 f64) (result f64) local.get 2)
                (func (export "type"))
                (func (export "pair") (result i32 i32) i32.const 0 i32.const 0)
                (func (export "refs") (param externref))
                (func (export "sumBytes") (result i32) i32.const 0)
                (func (export "sum-bytes") (result i32) i32.const 1))"#,
        )
        .unwrap();
        let names: Vec<(String, String)> = describable_exports(&module)
            .unwrap()
            .into_iter()
            .map(|e| (e.core_name, e.wit_name))
            .collect();
        let expected = [
            ("add", "add"),
            ("type", "type"),
            ("sum-bytes", "sum-bytes"),
            ("mix_types", "mix-types"),
        ];
        assert_eq!(
            names,
            expected.map(|(core, wit)| (core.to_owned(), wit.to_owned()))
        );
        let described = describe_exports(&module).unwrap();
        wasmparser::Validator::new()
            .validate_all(&described)
            .unwrap();
        let (_, bindgen) = wit_component::metadata::decode(&described).unwrap();
        let world = &bindgen.resolve.worlds[bindgen.world];
        assert_eq!(world.exports.len(), 4);
    }
}
