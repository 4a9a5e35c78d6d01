//! A module's payloads, for passes that never look inside a function body.
//!
//! `Parser::parse_all` hands out every body as a payload of its own, and
//! reading each one's size and position costs about as much as many of
//! those passes do otherwise: a C++ program has thousands of bodies.

use wasmparser::{BinaryReaderError, Chunk, Parser, Payload};

/// Every payload of `module` in order, except the code section's entries:
/// its `CodeSectionStart` comes, then whatever follows the section.
pub(crate) fn without_bodies(
    module: &[u8],
) -> impl Iterator<Item = Result<Payload<'_>, BinaryReaderError>> + '_ {
    let mut parser = Parser::new(0);
    let mut rest = module;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let payload = match parser.parse(rest, true) {
            Ok(Chunk::Parsed { consumed, payload }) => {
                rest = &rest[consumed..];
                payload
            }
            // With the whole module at hand, the parser never waits for
            // more.
            Ok(Chunk::NeedMoreData(_)) => unreachable!("the parser is told it has all the input"),
            Err(e) => {
                done = true;
                return Some(Err(e));
            }
        };
        match &payload {
            Payload::CodeSectionStart { size, .. } => {
                parser.skip_section();
                rest = &rest[*size as usize..];
            }
            Payload::End(_) => done = true,
            _ => {}
        }
        Some(Ok(payload))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_the_bodies_and_nothing_else() {
        let module = wat::parse_str(
            r#"(module (memory 1) (func) (func (drop (i32.const 1)))
                 (data (i32.const 0) "after the code") (@custom "last" ""))"#,
        )
        .unwrap();
        let kinds = |payloads: Vec<Payload<'_>>| -> Vec<String> {
            payloads
                .iter()
                .map(|p| {
                    format!("{p:?}")
                        .split([' ', '(', '{'])
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        let all: Vec<_> = Parser::new(0)
            .parse_all(&module)
            .map(Result::unwrap)
            .collect();
        let without: Vec<_> = without_bodies(&module).map(Result::unwrap).collect();
        let mut expected = kinds(all);
        expected.retain(|kind| kind != "CodeSectionEntry");
        assert_eq!(kinds(without), expected);
        assert!(expected.contains(&"DataSection".to_string()));
        assert_eq!(expected.last().map(String::as_str), Some("End"));
    }
}
