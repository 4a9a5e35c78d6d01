//! The map at the top of `adapter/src/lib.rs` says which file implements
//! each of the 46 preview1 functions; this test keeps it true.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The exports of the adapter that are not preview1 functions.
const NOT_PREVIEW1: [&str; 1] = ["cabi_import_realloc"];

#[test]
fn the_crate_map_names_the_file_of_every_preview1_function() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../adapter/src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mapped = map_in(&lib);
    let mut defined = BTreeMap::new();
    for path in rust_files(&src) {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for name in exported_functions(&text) {
            if !NOT_PREVIEW1.contains(&name.as_str()) {
                defined.insert(name, file.clone());
            }
        }
    }
    assert_eq!(defined.len(), 46, "preview1 has 46 functions: {defined:?}");
    assert_eq!(mapped, defined, "adapter/src/lib.rs's map is out of date");
}

/// The `//! - `file`: `f`, `g`` lines of the map, as function -> file.
fn map_in(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut file = None;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            continue;
        };
        let doc = doc.trim();
        if let Some(entry) = doc.strip_prefix("- `") {
            let (name, rest) = entry.split_once("`:").expect("- `file`: functions");
            file = Some(name.to_string());
            add_names(rest, file.as_deref().unwrap(), &mut map);
        } else if doc.is_empty() {
            file = None;
        } else if let Some(file) = &file {
            add_names(doc, file, &mut map);
        }
    }
    map
}

fn add_names(text: &str, file: &str, map: &mut BTreeMap<String, String>) {
    for name in text.split(',').map(|n| n.trim().trim_matches('`')) {
        if !name.is_empty() {
            map.insert(name.to_string(), file.to_string());
        }
    }
}

/// The functions `text` exports under their own names.
fn exported_functions(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter(|pair| pair[0].trim() == "#[unsafe(no_mangle)]")
        .filter_map(|pair| {
            let rest = pair[1].split("fn ").nth(1)?;
            Some(rest.split('(').next()?.to_string())
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
