//! What the input is, and whether it can be upgraded at all.
//!
//! wit-component rejects unsuitable modules too, but with messages about its
//! own internals (adapters, worlds, instance arguments). These checks run
//! first so that each common mistake gets an [`Error`] naming the cause.

use std::borrow::Cow;
use std::sync::OnceLock;

use wasmparser::{
    Chunk, ExternalKind, FuncToValidate, FuncValidatorAllocations, FunctionBody, MemoryType,
    Parser, Payload, TypeRef, ValidPayload, Validator, ValidatorResources, WasmFeatures,
};

use crate::WASI_PREVIEW1;
use crate::error::{Error, join_lines};
use crate::snapshot0::WASI_UNSTABLE;
use crate::stand_in::ProgramSections;

/// The import module of wasi-threads, the preview1-era threads proposal.
const WASI_THREADS: &str = "wasi";

/// The binary form of `input`, which may also be WebAssembly text.
pub(crate) fn binary_form(input: &[u8]) -> Result<Cow<'_, [u8]>, Error> {
    match wat::Detect::from_bytes(input) {
        wat::Detect::WasmBinary => Ok(Cow::Borrowed(input)),
        wat::Detect::WasmText => wat::parse_bytes(input).map_err(|e| Error::InvalidText {
            message: text_error(&e),
        }),
        wat::Detect::Unknown if !input.is_empty() && b"\0asm".starts_with(input) => {
            Err(Error::Truncated { len: input.len() })
        }
        wat::Detect::Unknown => Err(Error::NotWasm),
    }
}

/// The text parser reports a message, then a `--> file:line:col` line and a
/// source excerpt; the message and the position are what fit on one line.
fn text_error(error: &wat::Error) -> String {
    let report = error.to_string();
    let mut lines = report.lines().map(str::trim);
    let message = lines.next().unwrap_or_default();
    let position = lines
        .find_map(|line| line.strip_prefix("-->"))
        .and_then(|location| {
            let mut parts = location.trim().rsplitn(3, ':');
            Some((parts.next()?, parts.next()?))
        });
    match position {
        Some((column, line)) => format!("{message} (line {line}, column {column})"),
        _ => join_lines(&report),
    }
}

/// What the upgrade needs to know about a module that passed [`check`].
pub(crate) struct ModuleFacts {
    pub exports_start: bool,
    /// Whether a bindings generator embedded a WIT world (a
    /// `component-type` custom section) describing the module's own
    /// imports and exports.
    pub has_embedded_world: bool,
    /// Whether it imports `sock_accept`, and so serves on sockets its host
    /// hands it.
    pub accepts_connections: bool,
    /// The functions it imports from `wasi_snapshot_preview1` and
    /// `wasi_unstable`, in import order: what decides its adapter build.
    pub adapter_functions: Vec<String>,
}

/// Validates `module` and rejects what no WASI preview1 adapter can serve.
pub(crate) fn check(module: &[u8]) -> Result<ModuleFacts, Error> {
    let (facts, bodies) = check_but_bodies(module)?;
    bodies.validate()?;
    facts
}

/// Function bodies whose validation is put off.
pub(crate) struct UnvalidatedBodies<'a>(
    Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'a>)>,
);

impl UnvalidatedBodies<'_> {
    /// The error of the first invalid body, if any.
    pub(crate) fn validate(self) -> Result<(), Error> {
        validate_bodies(self.0).map_err(|e| Error::Malformed {
            message: e.to_string(),
        })
    }

    /// A validator for each body, in order, for a pass that reads the
    /// bodies anyway.
    pub(crate) fn into_validators(self) -> Vec<FuncToValidate<ValidatorResources>> {
        self.0.into_iter().map(|(validator, _)| validator).collect()
    }
}

/// What [`check`] does, except validating the function bodies, which it
/// hands back with the verdict on the rest. A body is valid after the
/// memory rewrite exactly when it was before, so the finished component's
/// validation covers them; they need validating on their own only to name
/// the error when anything fails. An error in the module's structure is
/// reported after any in an earlier body, as a full validation would.
pub(crate) fn check_but_bodies(
    module: &[u8],
) -> Result<(Result<ModuleFacts, Error>, UnvalidatedBodies<'_>), Error> {
    if Parser::is_component(module) {
        return Err(Error::AlreadyComponent);
    }
    let (shape, bodies) = validate(module)?;
    Ok((facts(shape), bodies))
}

/// Rejects shapes of a valid module that no WASI preview1 adapter can serve.
fn facts(shape: Shape) -> Result<ModuleFacts, Error> {
    if shape.memories.iter().any(|memory| memory.memory64) {
        return Err(Error::Memory64);
    }
    if shape.memories.iter().any(|memory| memory.shared) || shape.spawns_threads {
        return Err(Error::Threads);
    }
    if shape.memories.len() > 1 {
        return Err(Error::SeveralMemories {
            count: shape.memories.len(),
        });
    }
    let custom_page = shape
        .memories
        .iter()
        .find_map(|memory| memory.page_size_log2);
    if let Some(log2) = custom_page.filter(|log2| *log2 != 16) {
        return Err(Error::CustomPageSize { bytes: 1 << log2 });
    }
    if let Some((module, name)) = shape.memory_import {
        return Err(Error::ImportedMemory { module, name });
    }
    // With an embedded world, imports named in the component model's
    // style are the world's; wit-component checks them against it.
    let described_by_world = |module: &str| {
        shape.has_embedded_world
            && (module.contains(':')
                || module.starts_with("[export]")
                || module.starts_with("cm32p2")
                || module == "$root")
    };
    let foreign = shape
        .foreign_imports
        .into_iter()
        .find(|(module, _)| !described_by_world(module));
    if let Some((module, name)) = foreign {
        return Err(Error::ForeignImport { module, name });
    }
    if shape.memories.is_empty() {
        return Err(Error::NoMemory);
    }
    if !shape.exports_memory {
        return Err(match shape.memory_exported_as {
            Some(name) => Error::MemoryExportedAs { name },
            None => Error::MemoryNotExported,
        });
    }
    Ok(ModuleFacts {
        exports_start: shape.exports_start,
        has_embedded_world: shape.has_embedded_world,
        accepts_connections: shape.accepts_connections,
        adapter_functions: shape.adapter_functions,
    })
}

/// The parts of a valid module the checks look at.
#[derive(Default)]
struct Shape {
    memories: Vec<MemoryType>,
    /// In import order, so the first one reported is the first in the file.
    foreign_imports: Vec<(String, String)>,
    exports_memory: bool,
    /// The first name the memory is exported under, if not `memory`.
    memory_exported_as: Option<String>,
    /// The memory's import, if it is imported.
    memory_import: Option<(String, String)>,
    exports_start: bool,
    has_embedded_world: bool,
    accepts_connections: bool,
    /// See [`ModuleFacts::adapter_functions`].
    adapter_functions: Vec<String>,
    /// Whether it imports wasi-threads' `thread-spawn`.
    spawns_threads: bool,
}

/// Parses and validates the whole module, telling an incomplete file apart
/// from a corrupt one: the parser is told the input may continue, so running
/// out of bytes shows up as a request for more data rather than an error.
fn validate(module: &[u8]) -> Result<(Shape, UnvalidatedBodies<'_>), Error> {
    // Everything wasmparser knows is accepted here; features a host or
    // wit-component lacks are theirs to report, and the memory kinds this
    // tool cannot serve get their own errors in `check`.
    let mut validator = Validator::new_with_features(WasmFeatures::all());
    let mut bodies = Vec::new();
    let mut parser = Parser::new(0);
    let mut shape = Shape::default();
    let mut rest = module;
    let malformed = |e: wasmparser::BinaryReaderError| Error::Malformed {
        message: e.to_string(),
    };
    let truncated = || Error::Truncated { len: module.len() };

    loop {
        let parsed = match parser.parse(rest, false).map_err(malformed) {
            Ok(Chunk::Parsed { consumed, payload }) => Ok((consumed, payload)),
            Ok(Chunk::NeedMoreData(_)) if !rest.is_empty() => Err(truncated()),
            // At the end of the input, only a module that is complete here
            // parses with `eof` set; anything else was cut short.
            Ok(Chunk::NeedMoreData(_)) => match parser.parse(rest, true) {
                Ok(Chunk::Parsed { consumed, payload }) => Ok((consumed, payload)),
                _ => Err(truncated()),
            },
            Err(e) => Err(e),
        };
        let (consumed, payload) = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                validate_bodies(bodies).map_err(malformed)?;
                return Err(e);
            }
        };
        rest = &rest[consumed..];

        match validator.payload(&payload) {
            Ok(ValidPayload::Func(to_validate, body)) => bodies.push((to_validate, body)),
            Ok(ValidPayload::End(_)) => return Ok((shape, UnvalidatedBodies(bodies))),
            Ok(_) => {}
            // A body earlier in the file fails first, as if each had been
            // validated where it stands.
            Err(e) => {
                validate_bodies(bodies).map_err(malformed)?;
                return Err(malformed(e));
            }
        }

        match payload {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(malformed)?;
                    if let TypeRef::Memory(memory) = import.ty {
                        shape.memories.push(memory);
                        shape.memory_import = Some((import.module.into(), import.name.into()));
                        continue;
                    }
                    if import.module == WASI_PREVIEW1 && import.name == "sock_accept" {
                        shape.accepts_connections = true;
                    }
                    if (import.module, import.name) == (WASI_THREADS, "thread-spawn") {
                        shape.spawns_threads = true;
                    }
                    if import.module == WASI_PREVIEW1 || import.module == WASI_UNSTABLE {
                        if let TypeRef::Func(_) = import.ty {
                            shape.adapter_functions.push(import.name.into());
                        }
                    } else {
                        shape
                            .foreign_imports
                            .push((import.module.into(), import.name.into()));
                    }
                }
            }
            Payload::MemorySection(section) => {
                for memory in section {
                    shape.memories.push(memory.map_err(malformed)?);
                }
            }
            // The prefix is what wit-component looks for.
            Payload::CustomSection(section) if section.name().starts_with("component-type") => {
                shape.has_embedded_world = true;
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(malformed)?;
                    match (export.kind, export.name) {
                        (ExternalKind::Memory, "memory") => shape.exports_memory = true,
                        (ExternalKind::Memory, name) => {
                            shape.memory_exported_as.get_or_insert_with(|| name.into());
                        }
                        (ExternalKind::Func, "_start") => shape.exports_start = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// Validates a component as wit-component's own check would, with the
/// function bodies of every module in it validated on every core it pays to
/// use, except the program's sections in `validated`: its bodies, already
/// validated against the same functions and types, and its data segments,
/// the input's own, already validated against the same memory and globals.
pub(crate) fn validate_component(
    component: &[u8],
    validated: &ProgramSections,
) -> Result<(), wasmparser::BinaryReaderError> {
    let mut validator = Validator::new_with_features(WasmFeatures::all());
    let mut bodies = Vec::new();
    let mut skipping = false;
    for payload in Parser::new(0).parse_all(component) {
        let payload = payload?;
        match &payload {
            Payload::CodeSectionStart { range, .. } => {
                skipping = validated.code.as_ref() == Some(range);
            }
            // Its segment count is checked by the parser against the data
            // count section, and nothing else refers to its segments.
            Payload::DataSection(section) if validated.data == Some(section.range()) => continue,
            _ => {}
        }
        if let ValidPayload::Func(to_validate, body) = validator.payload(&payload)?
            && !skipping
        {
            bodies.push((to_validate, body));
        }
    }
    validate_bodies(bodies)
}

/// Below this many bytes of code per thread, starting a thread costs more
/// than it saves: on a busy machine the new thread may wait milliseconds for
/// a core, while decoding runs at some hundred megabytes a second.
const MIN_CODE_PER_THREAD: usize = 512 * 1024;

/// How many threads to read `code_size` bytes of function bodies on.
pub(crate) fn threads_for(code_size: usize) -> usize {
    let threads = code_size / MIN_CODE_PER_THREAD;
    if threads < 2 {
        return 1;
    }
    // Asking for the core count reads the process's cgroup files, over
    // 0.1 ms each time: it is asked once per process, and not at all for
    // code that one thread reads.
    static CORES: OnceLock<usize> = OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    cores.min(threads)
}

/// Validates function bodies on every core it pays to use, reporting the first invalid
/// body in file order.
fn validate_bodies(
    bodies: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'_>)>,
) -> Result<(), wasmparser::BinaryReaderError> {
    let threads = threads_for(bodies.iter().map(|(_, body)| body.range().len()).sum());
    // Interleaved, so that each thread gets large and small bodies alike.
    let mut shares: Vec<Vec<_>> = (0..threads).map(|_| Vec::new()).collect();
    for (index, body) in bodies.into_iter().enumerate() {
        shares[index % threads].push((index, body));
    }
    let first_error = |share: Vec<(usize, (FuncToValidate<_>, FunctionBody<'_>))>| {
        let mut allocations = FuncValidatorAllocations::default();
        for (index, (to_validate, body)) in share {
            let mut func = to_validate.into_validator(allocations);
            if let Err(e) = func.validate(&body) {
                return Some((index, e));
            }
            allocations = func.into_allocations();
        }
        None
    };
    let errors: Vec<_> = std::thread::scope(|scope| {
        let mut shares = shares.into_iter();
        let mine = shares.next().unwrap_or_default();
        let others: Vec<_> = shares
            .map(|share| scope.spawn(move || first_error(share)))
            .collect();
        let mut errors = vec![first_error(mine)];
        errors.extend(
            others
                .into_iter()
                .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
        );
        errors
    });
    match errors.into_iter().flatten().min_by_key(|(index, _)| *index) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_text(text: &str) -> Result<ModuleFacts, Error> {
        check(&wat::parse_str(text).unwrap())
    }

    #[test]
    fn accepts_a_preview1_command() {
        let facts = check_text(
            r#"(module
                 (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
                 (memory (export "memory") 1)
                 (func (export "_start")))"#,
        )
        .unwrap();
        assert!(facts.exports_start);
    }

    #[test]
    fn an_embedded_world_vouches_only_for_component_model_imports() {
        let module = |extra: &str| {
            format!(
                r#"(module
                     (import "wasi:http/types@0.2.12" "[constructor]fields" (func))
                     (import "[export]wasi:http/incoming-handler@0.2.12" "[resource-drop]x" (func (param i32)))
                     {extra}
                     (memory (export "memory") 1)
                     (@custom "component-type:bindings" ""))"#
            )
        };
        let facts = check_text(&module("")).unwrap();
        assert!(facts.has_embedded_world && !facts.exports_start);
        assert_eq!(
            check_text(&module(r#"(import "env" "f" (func))"#)).err(),
            Some(Error::ForeignImport {
                module: "env".into(),
                name: "f".into()
            })
        );
        let without_world =
            r#"(module (import "wasi:http/types@0.2.12" "f" (func)) (memory (export "memory") 1))"#;
        assert!(matches!(
            check_text(without_world),
            Err(Error::ForeignImport { .. })
        ));
    }

    #[test]
    fn tells_truncated_from_malformed() {
        let module =
            wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "_start")))"#)
                .unwrap();
        for cut in [2, 6, 9, module.len() - 1] {
            let error = binary_form(&module[..cut]).and_then(|m| check(&m).map(|_| ()));
            assert_eq!(
                error.unwrap_err(),
                Error::Truncated { len: cut },
                "cut at {cut}"
            );
        }
        let mut corrupt = module.clone();
        corrupt[8] = 0x7f; // an unknown section id
        assert!(matches!(check(&corrupt), Err(Error::Malformed { .. })));
    }

    #[test]
    fn reports_each_unservable_shape() {
        let cases = [
            (
                r#"(module (memory (export "memory") i64 1))"#,
                Error::Memory64,
            ),
            (
                r#"(module (import "env" "memory" (memory 1 1 shared)) (export "memory" (memory 0)))"#,
                Error::Threads,
            ),
            (
                r#"(module (import "wasi" "thread-spawn" (func (param i32) (result i32))) (memory (export "memory") 1))"#,
                Error::Threads,
            ),
            (
                r#"(module (import "env" "f" (func)) (import "env" "g" (func)) (memory (export "memory") 1))"#,
                Error::ForeignImport {
                    module: "env".into(),
                    name: "f".into(),
                },
            ),
            (r#"(module (func (export "_start")))"#, Error::NoMemory),
            (
                r#"(module (memory (export "mem") 1))"#,
                Error::MemoryExportedAs { name: "mem".into() },
            ),
            (r#"(module (memory 1))"#, Error::MemoryNotExported),
            (
                r#"(module (memory (export "memory") 1) (memory 1))"#,
                Error::SeveralMemories { count: 2 },
            ),
            (
                r#"(module (memory (export "memory") 1 (pagesize 1)))"#,
                Error::CustomPageSize { bytes: 1 },
            ),
            (
                r#"(module (import "env" "memory" (memory 1)) (export "memory" (memory 0)))"#,
                Error::ImportedMemory {
                    module: "env".into(),
                    name: "memory".into(),
                },
            ),
            ("(component)", Error::AlreadyComponent),
        ];
        for (text, expected) in cases {
            assert_eq!(check_text(text).err(), Some(expected), "{text}");
        }
    }

    #[test]
    fn reads_text_and_rejects_other_input() {
        assert!(binary_form(b"(module)").is_ok());
        assert_eq!(binary_form(b"hello").unwrap_err(), Error::NotWasm);
        assert_eq!(binary_form(b"").unwrap_err(), Error::NotWasm);
        let Err(Error::InvalidText { message }) = binary_form(b"(module\n  (func (bogus)))") else {
            panic!("text with an error must be reported as such");
        };
        assert!(message.contains("line 2"), "{message}");
    }
}
