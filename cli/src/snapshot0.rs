//! Serves `wasi_unstable` (WASI snapshot 0) imports with the preview1 adapter.
//!
//! Toolchains of 2019 import `wasi_unstable`. Its functions are preview1's
//! under the same names, and all but four have the same ABI, so those are
//! simply imported from `wasi_snapshot_preview1` instead. The four that
//! differ are imported from preview1 too, but every use of them in the
//! module goes through a function this pass appends, which translates:
//!
//! | function | snapshot 0 | preview1 |
//! |---|---|---|
//! | `fd_seek` | whence `CUR`=0, `END`=1, `SET`=2 | `SET`=0, `CUR`=1, `END`=2 |
//! | `fd_filestat_get`, `path_filestat_get` | `filestat` of 56 bytes, `nlink` a `u32` at 20 | 64 bytes, `nlink` a `u64` at 24 |
//! | `poll_oneoff` | `subscription` of 56 bytes: a clock's has an extra `identifier` before its fields | 48 bytes |
//!
//! Everything else (`dirent`, `event`, `fdstat`, `prestat`, errnos, rights)
//! has the same layout in both. Translating inside the module, rather than in
//! a second adapter, keeps one adapter instance and so one descriptor table
//! for modules that import from both namespaces.
//!
//! The translations need no memory of their own:
//! - a `filestat` is fetched in preview1's 64-byte form over the caller's
//!   56-byte buffer and 8 bytes beside it (after it, or before it where the
//!   buffer ends the memory), which are saved and put back, and then packed;
//! - the subscriptions are rearranged in place into preview1's 48-byte form
//!   with the 8-byte identifiers gathered behind them, and put back exactly
//!   after the call.

use std::borrow::Cow;
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{CodeSection, Function, FunctionSection, ImportSection, MemArg, ValType};
use wasmparser::{Parser, Payload, TypeRef};

use crate::{WASI_PREVIEW1, added_functions, payloads};

/// The import module of WASI snapshot 0.
pub(crate) const WASI_UNSTABLE: &str = "wasi_unstable";

/// The snapshot 0 functions whose ABI differs from preview1's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Differing {
    FdSeek,
    FdFilestatGet,
    PathFilestatGet,
    PollOneoff,
}

impl Differing {
    fn named(name: &str) -> Option<Differing> {
        Some(match name {
            "fd_seek" => Differing::FdSeek,
            "fd_filestat_get" => Differing::FdFilestatGet,
            "path_filestat_get" => Differing::PathFilestatGet,
            "poll_oneoff" => Differing::PollOneoff,
            _ => return None,
        })
    }
}

/// A translating function to append: what it wraps and its type.
struct Wrapper {
    kind: Differing,
    /// The function index of the (renamed) import it calls.
    import: u32,
    type_index: u32,
}

/// `module` with its `wasi_unstable` imports served by preview1, or `module`
/// itself if it has none.
pub(crate) fn translate(module: &[u8]) -> Result<Cow<'_, [u8]>, reencode::Error> {
    let mut imports_unstable = false;
    let mut imported_functions = 0;
    let mut defined_functions = 0;
    let mut wrapped = Vec::new();
    for payload in payloads::without_bodies(module) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import?;
                    let (TypeRef::Func(type_index) | TypeRef::FuncExact(type_index)) = import.ty
                    else {
                        continue;
                    };
                    if import.module == WASI_UNSTABLE {
                        imports_unstable = true;
                        if let Some(kind) = Differing::named(import.name) {
                            wrapped.push((kind, imported_functions, type_index));
                        }
                    }
                    imported_functions += 1;
                }
            }
            Payload::FunctionSection(section) => defined_functions = section.count(),
            _ => {}
        }
    }
    if !imports_unstable {
        return Ok(Cow::Borrowed(module));
    }
    let first_wrapper = imported_functions + defined_functions;
    let mut translator = Translator {
        wrappers: wrapped
            .into_iter()
            .map(|(kind, import, type_index)| Wrapper {
                kind,
                import,
                type_index,
            })
            .collect(),
        first_wrapper,
        has_code: defined_functions > 0,
    };
    let mut rewritten = wasm_encoder::Module::new();
    translator.parse_core_module(&mut rewritten, Parser::new(0), module)?;
    Ok(Cow::Owned(rewritten.finish()))
}

struct Translator {
    wrappers: Vec<Wrapper>,
    /// The index the first wrapper gets: after every existing function.
    first_wrapper: u32,
    /// Whether the module has function and code sections to append to.
    has_code: bool,
}

impl Reencode for Translator {
    type Error = Infallible;

    /// Every reference to a differing import becomes one to its wrapper.
    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error> {
        if !self.has_code {
            return Ok(func);
        }
        Ok(match self.wrappers.iter().position(|w| w.import == func) {
            Some(k) => self.first_wrapper + k as u32,
            None => func,
        })
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        for import in section.into_imports() {
            let import = import?;
            let module = match import.module {
                WASI_UNSTABLE => WASI_PREVIEW1,
                other => other,
            };
            imports.import(module, import.name, self.entity_type(import.ty)?);
        }
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), reencode::Error> {
        let wrappers: Vec<u32> = self.wrappers.iter().map(|w| w.type_index).collect();
        added_functions::declare_after_own(self, functions, section, wrappers)
    }

    crate::reencode_then!(
        parse_code_section(CodeSection, wasmparser::CodeSectionReader<'_>),
        |this, code| {
            for wrapper in &this.wrappers {
                code.function(&wrapper_body(wrapper));
            }
        }
    );
}

fn wrapper_body(wrapper: &Wrapper) -> Function {
    match wrapper.kind {
        Differing::FdSeek => fd_seek(wrapper.import),
        // (fd, buf) and (fd, flags, path, path_len, buf).
        Differing::FdFilestatGet => filestat(wrapper.import, 2),
        Differing::PathFilestatGet => filestat(wrapper.import, 5),
        Differing::PollOneoff => poll_oneoff(wrapper.import),
    }
}

fn mem(offset: u64) -> MemArg {
    MemArg {
        offset,
        align: 0,
        memory_index: 0,
    }
}

/// Pushes the memory's size in bytes as an i64, to compare with the end of
/// an array (computed in i64, so it cannot wrap).
fn push_memory_bytes(code: &mut wasm_encoder::InstructionSink<'_>) {
    code.memory_size(0)
        .i64_extend_i32_u()
        .i64_const(16)
        .i64_shl();
}

/// `fd_seek(fd, offset, whence, newoffset)` with snapshot 0's whence values
/// (0, 1, 2) turned into preview1's ((w + 1) % 3); others pass unchanged, so
/// they stay invalid.
fn fd_seek(import: u32) -> Function {
    let mut f = Function::new([]);
    f.instructions()
        .local_get(0)
        .local_get(1)
        .local_get(2)
        .i32_const(1)
        .i32_add()
        .i32_const(3)
        .i32_rem_u()
        .local_get(2)
        .local_get(2)
        .i32_const(3)
        .i32_lt_u()
        .select()
        .local_get(3)
        .call(import)
        .end();
    f
}

/// A `*_filestat_get` whose last of `params` parameters is the buffer.
///
/// Locals after the parameters: the preview1 record's address, the spill
/// address, the spilled bytes, the errno, then the record's fields.
fn filestat(import: u32, params: u32) -> Function {
    let buf = params - 1;
    let record = params;
    let spill = params + 1;
    let saved = params + 2;
    let errno = params + 3;
    // dev, ino, nlink, size, atim, mtim, ctim (i64) and filetype (i32).
    let field = |i: u32| params + 4 + i;
    let filetype = params + 11;
    let mut f = Function::new([
        (2, ValType::I32),
        (1, ValType::I64),
        (1, ValType::I32),
        (7, ValType::I64),
        (1, ValType::I32),
    ]);
    let mut code = f.instructions();
    let call_with = |code: &mut wasm_encoder::InstructionSink<'_>, buffer: u32| {
        for param in 0..buf {
            code.local_get(param);
        }
        code.local_get(buffer).call(import);
    };

    // A buffer that does not fit: preview1 reports it.
    code.local_get(buf)
        .i64_extend_i32_u()
        .i64_const(56)
        .i64_add();
    push_memory_bytes(&mut code);
    code.i64_gt_u().if_(wasm_encoder::BlockType::Empty);
    call_with(&mut code, buf);
    code.return_().end();

    // The 64-byte record goes at the buffer if 8 more bytes fit after it,
    // else 8 bytes before it (the memory is at least 64 bytes long then).
    code.local_get(buf)
        .i64_extend_i32_u()
        .i64_const(64)
        .i64_add();
    push_memory_bytes(&mut code);
    code.i64_le_u()
        .if_(wasm_encoder::BlockType::Empty)
        .local_get(buf)
        .local_set(record)
        .local_get(buf)
        .i32_const(56)
        .i32_add()
        .local_set(spill)
        .else_()
        .local_get(buf)
        .i32_const(8)
        .i32_sub()
        .local_tee(record)
        .local_set(spill)
        .end();
    code.local_get(spill).i64_load(mem(0)).local_set(saved);
    call_with(&mut code, record);
    code.local_tee(errno).if_(wasm_encoder::BlockType::Empty);
    code.local_get(spill).local_get(saved).i64_store(mem(0));
    code.local_get(errno).return_().end();

    // Read preview1's fields, put the spilled bytes back, write snapshot 0's.
    for (i, offset) in [0u64, 8, 24, 32, 40, 48, 56].into_iter().enumerate() {
        code.local_get(record)
            .i64_load(mem(offset))
            .local_set(field(i as u32));
    }
    code.local_get(record)
        .i32_load8_u(mem(16))
        .local_set(filetype);
    code.local_get(spill).local_get(saved).i64_store(mem(0));
    for (i, offset) in [(0u32, 0u64), (1, 8), (3, 24), (4, 32), (5, 40), (6, 48)] {
        code.local_get(buf)
            .local_get(field(i))
            .i64_store(mem(offset));
    }
    code.local_get(buf).local_get(filetype).i32_store8(mem(16));
    code.local_get(buf)
        .local_get(field(2))
        .i32_wrap_i64()
        .i32_store(mem(20));
    code.i32_const(0).end();
    f
}

/// `poll_oneoff(in, out, nsubscriptions, nevents)` over snapshot 0's
/// subscriptions, rearranged in place and put back afterwards.
///
/// Record `i` (56 bytes at `in + 56 i`) first becomes preview1's 48 bytes
/// followed by 8 spare bytes: a clock's five words after the tag (identifier,
/// id, timeout, precision, flags, each padded to 8 bytes) rotate so that the
/// identifier comes last; an fd subscription already has preview1's layout.
/// Then the 48 bytes move in front of the spare bytes of the records before
/// it, so after `n` records the preview1 array is at `in` and the spare bytes
/// follow it. Afterwards every step is undone in reverse order, which
/// restores every byte, padding included.
fn poll_oneoff(import: u32) -> Function {
    use wasm_encoder::BlockType::Empty;
    let (subs, nsubs) = (0, 2);
    let (index, record) = (4, 5);
    // Six i64 holding 48 bytes in transit, then the errno of the call.
    let part = |i: u32| 6 + i;
    let errno = 12;
    let mut f = Function::new([(2, ValType::I32), (6, ValType::I64), (1, ValType::I32)]);
    let mut code = f.instructions();
    let at = |code: &mut wasm_encoder::InstructionSink<'_>, stride: i32| {
        code.local_get(subs)
            .local_get(index)
            .i32_const(stride)
            .i32_mul()
            .i32_add();
    };
    // The words of a clock subscription after its tag, in snapshot 0's order.
    let clock_words = [16u64, 24, 32, 40, 48];
    // If the record at `record` is a clock subscription (tag 0), moves each
    // of its words `shift` places on: 1 turns snapshot 0's order into
    // preview1's, 4 turns it back.
    let rotate_clock = |code: &mut wasm_encoder::InstructionSink<'_>, shift: u32| {
        code.local_get(record)
            .i32_load8_u(mem(8))
            .i32_eqz()
            .if_(Empty);
        for (i, offset) in clock_words.into_iter().enumerate() {
            code.local_get(record)
                .i64_load(mem(offset))
                .local_set(part(i as u32));
        }
        for (i, offset) in clock_words.into_iter().enumerate() {
            let word = (i as u32 + shift) % 5;
            code.local_get(record)
                .local_get(part(word))
                .i64_store(mem(offset));
        }
        code.end();
    };

    // Arrays that do not fit in memory, or no subscriptions: preview1 reports them.
    code.local_get(subs)
        .i64_extend_i32_u()
        .local_get(nsubs)
        .i64_extend_i32_u()
        .i64_const(56)
        .i64_mul()
        .i64_add();
    push_memory_bytes(&mut code);
    code.i64_gt_u()
        .local_get(nsubs)
        .i32_eqz()
        .i32_or()
        .if_(Empty);
    for param in 0..4 {
        code.local_get(param);
    }
    code.call(import).return_().end();

    // Forwards.
    code.i32_const(0).local_set(index).loop_(Empty);
    at(&mut code, 56);
    code.local_set(record);
    rotate_clock(&mut code, 1);
    // The 48 bytes at `record` go to in + 48 i, in front of the i spare
    // words there, which move up by 48 bytes.
    for i in 0..6 {
        code.local_get(record)
            .i64_load(mem(8 * u64::from(i)))
            .local_set(part(i));
    }
    at(&mut code, 48);
    code.i32_const(48).i32_add();
    at(&mut code, 48);
    code.local_get(index)
        .i32_const(8)
        .i32_mul()
        .memory_copy(0, 0);
    for i in 0..6 {
        at(&mut code, 48);
        code.local_get(part(i)).i64_store(mem(8 * u64::from(i)));
    }
    code.local_get(index)
        .i32_const(1)
        .i32_add()
        .local_tee(index)
        .local_get(nsubs)
        .i32_lt_u()
        .br_if(0)
        .end();

    for param in 0..4 {
        code.local_get(param);
    }
    code.call(import).local_set(errno);

    // Backwards: the same steps undone, from the last record to the first.
    code.local_get(nsubs).local_set(index).loop_(Empty);
    code.local_get(index)
        .i32_const(1)
        .i32_sub()
        .local_set(index);
    for i in 0..6 {
        at(&mut code, 48);
        code.i64_load(mem(8 * u64::from(i))).local_set(part(i));
    }
    at(&mut code, 48);
    at(&mut code, 48);
    code.i32_const(48).i32_add();
    code.local_get(index)
        .i32_const(8)
        .i32_mul()
        .memory_copy(0, 0);
    at(&mut code, 56);
    code.local_set(record);
    for i in 0..6 {
        code.local_get(record)
            .local_get(part(i))
            .i64_store(mem(8 * u64::from(i)));
    }
    rotate_clock(&mut code, 4);
    code.local_get(index).br_if(0).end();
    code.local_get(errno).end();
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports(module: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in Parser::new(0).parse_all(module) {
            if let Payload::ImportSection(section) = payload.unwrap() {
                for import in section.into_imports() {
                    let import = import.unwrap();
                    found.push((import.module.to_owned(), import.name.to_owned()));
                }
            }
        }
        found
    }

    #[test]
    fn leaves_a_preview1_module_untouched() {
        let module = wat::parse_str(
            r#"(module (import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
                 (memory (export "memory") 1))"#,
        )
        .unwrap();
        assert!(matches!(translate(&module).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn imports_everything_from_preview1_and_wraps_the_four_that_differ() {
        let module = wat::parse_str(
            r#"(module
                 (import "wasi_unstable" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
                 (import "wasi_unstable" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
                 (import "wasi_unstable" "fd_filestat_get" (func $stat (param i32 i32) (result i32)))
                 (import "wasi_unstable" "path_filestat_get" (func $pstat (param i32 i32 i32 i32 i32) (result i32)))
                 (import "wasi_unstable" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
                 (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
                 (memory (export "memory") 1)
                 (table funcref (elem $seek))
                 (func (export "_start")
                   (drop (call $write (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
                   (drop (call $seek (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 0)))
                   (drop (call $stat (i32.const 0) (i32.const 0)))
                   (drop (call $pstat (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
                   (drop (call $poll (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
                   (drop (call $close (i32.const 0)))))"#,
        )
        .unwrap();
        let translated = translate(&module).unwrap().into_owned();
        wasmparser::Validator::new()
            .validate_all(&translated)
            .expect("the translation validates");
        let modules: Vec<String> = imports(&translated).into_iter().map(|(m, _)| m).collect();
        assert_eq!(modules, vec![WASI_PREVIEW1; 6]);
        // The four wrappers follow `_start` (function 6) as 7..=10; calls to
        // the differing imports (1..=4) and the table's entry go to them.
        let mut calls = Vec::new();
        let mut elements = Vec::new();
        for payload in Parser::new(0).parse_all(&translated) {
            match payload.unwrap() {
                Payload::CodeSectionEntry(body) => {
                    let mut called = Vec::new();
                    for operator in body.get_operators_reader().unwrap() {
                        if let wasmparser::Operator::Call { function_index } = operator.unwrap() {
                            called.push(function_index);
                        }
                    }
                    calls.push(called);
                }
                Payload::ElementSection(section) => {
                    for element in section {
                        if let wasmparser::ElementItems::Functions(functions) =
                            element.unwrap().items
                        {
                            elements.extend(functions.into_iter().map(Result::unwrap));
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(calls[0], [0, 7, 8, 9, 10, 5]);
        // Each wrapper calls its import (the others twice: when the buffer does
        // not fit in memory, and otherwise).
        assert_eq!(&calls[1..], [vec![1], vec![2, 2], vec![3, 3], vec![4, 4]]);
        assert_eq!(elements, [7]);
    }
}
