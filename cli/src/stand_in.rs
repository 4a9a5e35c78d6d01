//! Hands wit-component a small stand-in for the program module, and puts
//! the program's own bytes back into the component it encodes.
//!
//! wit-component needs a module's types, imports, exports and memory, never
//! its function bodies, data or custom sections other than its own. Yet it
//! copies the whole module several times (stripping its metadata, checking
//! for duplicate imports, keeping it, embedding it), which on a large
//! program costs more than its whole encoding otherwise. The stand-in is the
//! module with its code, data and large custom sections emptied; the
//! component embeds it as it is, less any `component-type` section and with
//! its `producers` section merged, so the emptied sections are found there by
//! kind and refilled.

use std::ops::Range;

use anyhow::{Result, bail};
use wasm_encoder::{ComponentSectionId, Encode, SectionId};
use wasmparser::{BinaryReader, BinaryReaderError};

/// A section's id and its contents, in pieces.
type Section<'a> = (u8, Vec<&'a [u8]>);

/// Marks an emptied custom section; the index after it says which one. It
/// is the module name of a name section, the one shape that whoever
/// re-encodes a name section (wit-component's producers step does) keeps.
const EMPTIED: &str = "\0wasi-upgrade emptied custom section ";

/// Custom sections wit-component reads (and drops, `component-type`), or
/// re-encodes from what they say (`producers`, and the metadata that its
/// `wasm-metadata` reads when built with OCI support), and so must see as
/// they are.
fn read_by_wit_component(name: &str) -> bool {
    name.starts_with("component-type")
        || [
            "producers",
            "authors",
            "description",
            "licenses",
            "source",
            "homepage",
            "revision",
            "version",
        ]
        .contains(&name)
}

/// A stand-in for a module, and its emptied sections' contents.
pub(crate) struct StandIn<'a> {
    /// The stand-in module.
    pub bytes: Vec<u8>,
    /// The code section's contents, in pieces.
    code: Option<Vec<&'a [u8]>>,
    /// The data section's contents, and the data count section's.
    data: Option<&'a [u8]>,
    data_count: Option<&'a [u8]>,
    /// The contents of each emptied custom section, by index.
    custom: Vec<&'a [u8]>,
}

/// The sections of a module or component: each one's id and the range of
/// its contents.
pub(crate) fn sections(
    bytes: &[u8],
) -> impl Iterator<Item = Result<(u8, Range<usize>), BinaryReaderError>> + '_ {
    let mut reader = BinaryReader::new(bytes, 0);
    let mut header = Some(reader.read_bytes(8).map(|_| ()));
    std::iter::from_fn(move || {
        if let Some(Err(e)) = header.take() {
            reader = BinaryReader::new(&[], 0);
            return Some(Err(e));
        }
        if reader.eof() {
            return None;
        }
        let section = (|| {
            let id = reader.read_u8()?;
            let size = reader.read_var_u32()? as usize;
            let start = reader.current_position();
            reader.read_bytes(size)?;
            Ok((id, start..start + size))
        })();
        if section.is_err() {
            // The rest cannot be read either.
            reader = BinaryReader::new(&[], 0);
        }
        Some(section)
    })
}

/// Where the program module's code and data sections' contents are in the
/// component that [`StandIn::put_back`] puts them back into.
#[derive(Debug, Default)]
pub(crate) struct ProgramSections {
    pub code: Option<Range<usize>>,
    pub data: Option<Range<usize>>,
}

/// A custom section's name and the range of its data, within `contents`.
fn custom_name(contents: &[u8]) -> Result<(&str, usize)> {
    let mut reader = BinaryReader::new(contents, 0);
    let name = reader.read_string()?;
    Ok((name, reader.current_position()))
}

/// Whether a component's section is wit-component's `component-name`
/// section, which the component leaves out. It names the glue wit-component
/// generates (its shim and fixup modules, the lowered imports, the core
/// instances), about 2 KB in a hello world, a fifth of all the upgrade adds
/// to it, and no host or tool needs it to run or link the component.
/// Backtraces keep their names: they come from the core modules' own name
/// sections, which stay.
fn is_component_names(id: u8, contents: &[u8]) -> bool {
    id == ComponentSectionId::CoreCustom as u8
        && custom_name(contents).is_ok_and(|(name, _)| name == "component-name")
}

fn push_section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
    push_pieces(out, id, &[contents]);
}

/// Appends a section whose contents are `pieces`, one after the other.
fn push_pieces(out: &mut Vec<u8>, id: u8, pieces: &[&[u8]]) {
    out.push(id);
    pieces
        .iter()
        .map(|piece| piece.len())
        .sum::<usize>()
        .encode(out);
    for piece in pieces {
        out.extend_from_slice(piece);
    }
}

impl<'a> StandIn<'a> {
    /// The stand-in for `module`, a valid module, whose code and data
    /// sections' contents are `code` and `data` if given.
    pub(crate) fn of(
        module: &'a [u8],
        code: Option<&'a [Vec<u8>]>,
        data: Option<&'a [u8]>,
    ) -> Result<StandIn<'a>> {
        let mut stand_in = StandIn {
            bytes: Vec::new(),
            code: None,
            data: None,
            data_count: None,
            custom: Vec::new(),
        };
        let mut bytes = module[..8].to_vec();
        let mut emptied = Vec::new();
        for section in sections(module) {
            let (id, range) = section?;
            let contents = &module[range.clone()];
            emptied.clear();
            match id {
                id if id == SectionId::Code as u8 => {
                    let pieces = match code {
                        Some(pieces) => pieces.iter().map(Vec::as_slice).collect(),
                        None => vec![contents],
                    };
                    // Each body declares no locals and ends at once.
                    let count = BinaryReader::new(pieces[0], 0).read_var_u32()?;
                    count.encode(&mut emptied);
                    for _ in 0..count {
                        emptied.extend_from_slice(&[2, 0, 0x0b]);
                    }
                    stand_in.code = Some(pieces);
                }
                // No segment at all: wit-component validates each one's
                // offset, which on a module with many (Go's have tens of
                // thousands) costs as much as the rest of its work, and a
                // stand-in whose bodies are empty refers to none of them.
                id if id == SectionId::Data as u8 => {
                    0u32.encode(&mut emptied);
                    stand_in.data = Some(data.unwrap_or(contents));
                }
                id if id == SectionId::DataCount as u8 => {
                    0u32.encode(&mut emptied);
                    stand_in.data_count = Some(contents);
                }
                0 => {
                    let (name, _) = custom_name(contents)?;
                    name.encode(&mut emptied);
                    // A name section holding only a module name.
                    let mut module_name = Vec::new();
                    format!("{EMPTIED}{}", stand_in.custom.len()).encode(&mut module_name);
                    push_section(&mut emptied, 0, &module_name);
                    if read_by_wit_component(name) || emptied.len() >= contents.len() {
                        emptied.clear();
                        emptied.extend_from_slice(contents);
                    } else {
                        stand_in.custom.push(contents);
                    }
                }
                _ => emptied.extend_from_slice(contents),
            }
            push_section(&mut bytes, id, &emptied);
        }
        stand_in.bytes = bytes;
        Ok(stand_in)
    }

    /// `component`, encoded by wit-component from the stand-in, with the
    /// module's own contents in place of the emptied sections and without
    /// its `component-name` section; and where the module's code and data
    /// sections' contents are in it.
    pub(crate) fn put_back(&self, component: &[u8]) -> Result<(Vec<u8>, ProgramSections)> {
        let size = self
            .code
            .iter()
            .flatten()
            .chain(&self.data)
            .chain(&self.data_count)
            .chain(&self.custom);
        let mut out = Vec::with_capacity(component.len() + size.map(|s| s.len()).sum::<usize>());
        out.extend_from_slice(&component[..8]);
        let mut main_module = false;
        let mut program = ProgramSections::default();
        for section in sections(component) {
            let (id, range) = section?;
            let contents = &component[range];
            // The program is the first module wit-component embeds.
            if id == ComponentSectionId::CoreModule as u8 && !main_module {
                let sections = self.refilled(contents)?;
                let size = 8 + sections.iter().map(|(_, s)| section_size(s)).sum::<usize>();
                out.push(id);
                size.encode(&mut out);
                out.extend_from_slice(&contents[..8]);
                for (id, pieces) in sections {
                    push_pieces(&mut out, id, &pieces);
                    let size: usize = pieces.iter().map(|piece| piece.len()).sum();
                    let range = Some(out.len() - size..out.len());
                    match id {
                        id if id == SectionId::Code as u8 => program.code = range,
                        id if id == SectionId::Data as u8 => program.data = range,
                        _ => {}
                    }
                }
                main_module = true;
            } else if !is_component_names(id, contents) {
                push_section(&mut out, id, contents);
            }
        }
        if !main_module {
            bail!("the component embeds no module");
        }
        Ok((out, program))
    }

    /// The sections of `stand_in`, the stand-in module as the component
    /// embeds it, refilled: each one's id and contents, in pieces.
    fn refilled<'b>(&'b self, stand_in: &'b [u8]) -> Result<Vec<Section<'b>>> {
        let mut refilled = Vec::new();
        let (mut code, mut data, mut data_count) = (self.code.clone(), self.data, self.data_count);
        let mut custom = 0;
        for section in sections(stand_in) {
            let (id, range) = section?;
            let contents = &stand_in[range];
            let original = match id {
                id if id == SectionId::Code as u8 => code.take(),
                id if id == SectionId::Data as u8 => data.take().map(|data| vec![data]),
                id if id == SectionId::DataCount as u8 => {
                    data_count.take().map(|count| vec![count])
                }
                0 => {
                    let (_, name_end) = custom_name(contents)?;
                    let index = emptied_index(&contents[name_end..]);
                    index.and_then(|index| {
                        custom += 1;
                        self.custom.get(index).map(|custom| vec![*custom])
                    })
                }
                _ => None,
            };
            refilled.push((id, original.unwrap_or_else(|| vec![contents])));
        }
        if code.is_some() || data.is_some() || data_count.is_some() || custom != self.custom.len() {
            bail!("the component's module lacks some of the program's sections");
        }
        Ok(refilled)
    }
}

/// Which emptied custom section `data` (a custom section's data) stands
/// in for, if it is one.
fn emptied_index(data: &[u8]) -> Option<usize> {
    let mut reader = BinaryReader::new(data, 0);
    if reader.read_u8().ok()? != 0 {
        return None;
    }
    reader.read_var_u32().ok()?;
    let marker = reader.read_string().ok()?;
    marker.strip_prefix(EMPTIED)?.parse().ok()
}

/// The size of a section whose contents are `pieces`, header included.
fn section_size(pieces: &[&[u8]]) -> usize {
    let contents: usize = pieces.iter().map(|piece| piece.len()).sum();
    let mut size = Vec::with_capacity(5);
    contents.encode(&mut size);
    1 + size.len() + contents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_component_embeds_the_module_itself() {
        let module = wat::parse_str(
            r#"(module $program
                 (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                 (memory (export "memory") 1)
                 (data (i32.const 16) "a segment of data that is not empty")
                 (data "a passive one")
                 (func $start (export "_start") (data.drop 1) (call $exit (i32.const 0)))
                 (@custom "big" "some custom section larger than its stand-in is")
                 (@custom "small" ""))"#,
        )
        .unwrap();
        let stand_in = StandIn::of(&module, None, None).unwrap();
        assert!(stand_in.bytes.len() < module.len());
        assert_eq!(
            stand_in.custom.len(),
            1,
            "only `big` is larger than its stand-in"
        );
        let component = wit_component::ComponentEncoder::default()
            .module(&stand_in.bytes)
            .unwrap()
            .adapter(crate::WASI_PREVIEW1, crate::COMMAND_ADAPTER)
            .unwrap()
            .encode()
            .unwrap();
        let (component, program) = stand_in.put_back(&component).unwrap();
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&component)
            .unwrap();
        let embedded = sections(&component)
            .map(Result::unwrap)
            .find(|(id, _)| *id == ComponentSectionId::CoreModule as u8)
            .map(|(_, range)| &component[range])
            .unwrap();
        assert_eq!(embedded, module);
        let code = &component[program.code.unwrap()];
        assert_eq!(code, stand_in.code.unwrap()[0]);
        assert_eq!(&component[program.data.unwrap()], stand_in.data.unwrap());
        let data_count = SectionId::DataCount as u8;
        assert!(
            sections(&module).any(|s| s.unwrap().0 == data_count),
            "`data.drop` needs a data count section"
        );
        let stand_in_counts = sections(&stand_in.bytes)
            .map(Result::unwrap)
            .filter(|(id, _)| [SectionId::Data as u8, data_count].contains(id))
            .map(|(_, range)| &stand_in.bytes[range]);
        assert!(
            stand_in_counts.eq([[0], [0]]),
            "the stand-in has no data segment, and says so"
        );
    }

    #[test]
    fn a_library_keeps_its_names_and_data_through_wit_component_s_producers_step() {
        // A library gets a WIT world, so wit-component merges producers
        // into the module and re-encodes its name section.
        let long = "a_function_whose_name_is_longer_than_the_marker_of_an_emptied_section";
        let module = wat::parse_str(format!(
            r#"(module
                 (memory (export "memory") 1)
                 (data (i32.const 8) "and its data")
                 (data "passive")
                 (func ${long} (export "add") (param i32 i32) (result i32)
                   (data.drop 1)
                   (i32.add (local.get 0) (memory.grow (local.get 1)))))"#
        ))
        .unwrap();
        let component = crate::upgrade(&module, &crate::Options::default()).unwrap();
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&component)
            .unwrap();
        let embedded = sections(&component)
            .map(Result::unwrap)
            .find(|(id, _)| *id == ComponentSectionId::CoreModule as u8)
            .map(|(_, range)| &component[range])
            .unwrap();
        let names = wasmparser::Parser::new(0)
            .parse_all(embedded)
            .find_map(|payload| match payload.unwrap() {
                wasmparser::Payload::CustomSection(s) if s.name() == "name" => {
                    Some(s.data().to_vec())
                }
                _ => None,
            })
            .unwrap();
        assert!(names.windows(long.len()).any(|w| w == long.as_bytes()));
        let data = |module: &[u8]| {
            sections(module)
                .map(Result::unwrap)
                .find(|(id, _)| *id == SectionId::Data as u8)
                .map(|(_, range)| module[range].to_vec())
        };
        assert_eq!(data(embedded), data(&module));
    }
}
