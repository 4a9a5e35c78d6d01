//! What modules and components import, read with `wasmparser`.

use anyhow::Context;
use wasmparser::{Parser, Payload};

/// The names of a component's own (top-level) imports, e.g.
/// `wasi:cli/stdout@0.2.12`, in the order they appear.
pub fn component_imports(component: &[u8]) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    // Nested modules and components each start with a `Version` and finish
    // with an `End`; only the outermost level's imports are the component's.
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(component) {
        match payload.context("parsing the component")? {
            Payload::Version { .. } => depth += 1,
            Payload::End(_) => depth -= 1,
            Payload::ComponentImportSection(reader) if depth == 1 => {
                for import in reader {
                    names.push(
                        import
                            .context("reading a component import")?
                            .name
                            .name
                            .to_owned(),
                    );
                }
            }
            _ => {}
        }
    }
    Ok(names)
}

/// `(module, name)` of every import of a core module.
pub fn core_imports(module: &[u8]) -> anyhow::Result<Vec<(String, String)>> {
    let mut imports = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        if let Payload::ImportSection(reader) = payload.context("parsing the module")? {
            for import in reader.into_imports() {
                let import = import.context("reading an import")?;
                imports.push((import.module.to_owned(), import.name.to_owned()));
            }
        }
    }
    Ok(imports)
}

/// `wasi:cli/stdout@0.2.12` → `wasi:cli/stdout`.
pub fn without_version(name: &str) -> &str {
    name.split('@').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_only_the_outermost_component_imports() {
        let component = wat::parse_str(
            r#"(component
                (import "wasi:cli/stdout@0.2.12" (instance))
                (component (import "wasi:filesystem/types@0.2.12" (instance)))
                (core module (import "wasi_snapshot_preview1" "fd_write" (func)))
                (import "wasi:io/streams@0.2.12" (instance)))"#,
        )
        .unwrap();
        assert_eq!(
            component_imports(&component).unwrap(),
            ["wasi:cli/stdout@0.2.12", "wasi:io/streams@0.2.12"]
        );
    }

    #[test]
    fn lists_core_imports() {
        let module = wat::parse_str(r#"(module (import "wasi_snapshot_preview1" "fd_write" (func)) (import "env" "memory" (memory 1)))"#).unwrap();
        assert_eq!(
            core_imports(&module).unwrap(),
            [
                ("wasi_snapshot_preview1".to_owned(), "fd_write".to_owned()),
                ("env".to_owned(), "memory".to_owned())
            ]
        );
    }
}
