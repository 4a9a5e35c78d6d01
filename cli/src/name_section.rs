//! Renumbers the functions a `name` section names.
//!
//! A program's name section holds a name for every function (16 MB of a
//! 69 MB program is not rare), and wasm-encoder's re-encoding builds each
//! name map anew, entry by entry. Only the function indices change, so the
//! names are copied as they are and each index is re-encoded.

use wasm_encoder::Encode;
use wasmparser::{BinaryReader, BinaryReaderError};

/// The subsections whose entries are keyed by function index.
const FUNCTION_NAMES: u8 = 1;
const LOCAL_NAMES: u8 = 2;
const LABEL_NAMES: u8 = 3;

/// The contents of a name section, `data`, with every function index `f`
/// replaced by `renumber(f)`. Subsections naming anything else are copied.
pub(crate) fn renumber_functions(
    data: &[u8],
    renumber: impl Fn(u32) -> u32,
) -> Result<Vec<u8>, BinaryReaderError> {
    let mut reader = BinaryReader::new(data, 0);
    // An index grows by at most a byte.
    let mut out = Vec::with_capacity(data.len() + data.len() / 8);
    let mut subsection = Vec::new();
    while !reader.eof() {
        let id = reader.read_u8()?;
        let size = reader.read_var_u32()? as usize;
        let contents = reader.read_bytes(size)?;
        subsection.clear();
        match id {
            FUNCTION_NAMES => renumber_map(contents, &renumber, false, &mut subsection)?,
            LOCAL_NAMES | LABEL_NAMES => renumber_map(contents, &renumber, true, &mut subsection)?,
            _ => subsection.extend_from_slice(contents),
        }
        out.push(id);
        subsection.len().encode(&mut out);
        out.extend_from_slice(&subsection);
    }
    Ok(out)
}

/// Appends to `out` the map `contents` (a count, then entries each keyed
/// by a function index) with the keys renumbered. Each entry's value is a
/// name, or with `indirect` a map of names.
fn renumber_map(
    contents: &[u8],
    renumber: impl Fn(u32) -> u32,
    indirect: bool,
    out: &mut Vec<u8>,
) -> Result<(), BinaryReaderError> {
    let mut reader = BinaryReader::new(contents, 0);
    let count = reader.read_var_u32()?;
    count.encode(out);
    for _ in 0..count {
        renumber(reader.read_var_u32()?).encode(out);
        let value = reader.current_position();
        let names = if indirect { reader.read_var_u32()? } else { 1 };
        for _ in 0..names {
            if indirect {
                reader.read_var_u32()?;
            }
            let len = reader.read_var_u32()? as usize;
            reader.read_bytes(len)?;
        }
        out.extend_from_slice(&contents[value..reader.current_position()]);
    }
    // Whatever follows the entries is kept as it was.
    out.extend_from_slice(&contents[reader.current_position()..]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{KnownCustom, Name, Parser, Payload};

    type Names = Vec<(u32, String)>;

    /// The function and local names of `module`'s name section, by index.
    fn names(module: &[u8]) -> (Names, Vec<(u32, Names)>) {
        let (mut functions, mut locals) = (Vec::new(), Vec::new());
        for payload in Parser::new(0).parse_all(module) {
            let Payload::CustomSection(section) = payload.unwrap() else {
                continue;
            };
            let KnownCustom::Name(reader) = section.as_known() else {
                continue;
            };
            for name in reader {
                match name.unwrap() {
                    Name::Function(map) => functions.extend(
                        map.into_iter()
                            .map(|n| n.unwrap())
                            .map(|n| (n.index, n.name.to_owned())),
                    ),
                    Name::Local(map) => locals.extend(map.into_iter().map(|n| {
                        let n = n.unwrap();
                        let names = n.names.into_iter().map(|l| l.unwrap());
                        (
                            n.index,
                            names.map(|l| (l.index, l.name.to_owned())).collect(),
                        )
                    })),
                    _ => {}
                }
            }
        }
        (functions, locals)
    }

    #[test]
    fn renumbers_function_keys_across_a_longer_index() {
        // 126 imports, so defined functions 126 and 127 become 128 and 129,
        // whose indices take two bytes.
        let imports: String = (0..126)
            .map(|i| format!(r#"(import "m" "f{i}" (func))"#))
            .collect();
        let module = wat::parse_str(format!(
            r#"(module $m {imports}
                 (func $a (param $x i32) (local $y i64))
                 (func $b)
                 (type $t (func)))"#
        ))
        .unwrap();
        let section = Parser::new(0)
            .parse_all(&module)
            .find_map(|payload| match payload.unwrap() {
                Payload::CustomSection(s) if s.name() == "name" => Some(s.data().to_vec()),
                _ => None,
            })
            .unwrap();
        let renumbered = renumber_functions(&section, |f| if f < 126 { f } else { f + 2 }).unwrap();
        let mut expected = wasm_encoder::Module::new();
        expected.section(&wasm_encoder::CustomSection {
            name: "name".into(),
            data: renumbered.into(),
        });
        let (functions, locals) = names(&expected.finish());
        assert_eq!(functions, [(128, "a".into()), (129, "b".into())]);
        assert_eq!(locals, [(128, vec![(0, "x".into()), (1, "y".into())])]);
    }
}
