//! The adapter's modules form layers a newcomer can draw: the preview1
//! areas on top, the descriptor table and the guest-memory access in the
//! middle, the WASI 0.2 imports and the plain definitions at the bottom.
//! This test reads `adapter/src`, extracts which module refers to which
//! (`crate::…`, `super::…`, `self::…` and child-module paths, in `use` lines
//! and in code), and fails on an arrow that points up a layer or on a cycle,
//! between modules or between top-level modules with their submodules.
//!
//! A new module must be given a layer in `LAYERS` before this test passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module's layer by its path; a module not listed takes its parent's.
/// An arrow may point to the same layer or a lower one, never higher.
const LAYERS: &[(&str, Layer)] = &[
    ("crate", Layer::Root),
    // The preview1 areas: one module per group of preview1 functions.
    ("args_env", Layer::Preview1),
    ("clocks", Layer::Preview1),
    ("directories", Layer::Preview1),
    ("exit", Layer::Preview1),
    ("files", Layer::Preview1),
    ("poll", Layer::Preview1),
    ("random", Layer::Preview1),
    ("readdir", Layer::Preview1),
    ("sockets", Layer::Preview1),
    // What the areas share: the per-call entry, the descriptor table and
    // the listings it points to, path and buffer arguments, errno mapping,
    // descriptor facts, and the state with the program's memory.
    ("arguments", Layer::Middle),
    ("descriptor_facts", Layer::Middle),
    ("dirent_buffer", Layer::Middle),
    ("entry", Layer::Middle),
    ("errno", Layer::Middle),
    ("fd_table", Layer::Middle),
    ("iovec_rules", Layer::Middle),
    ("iovecs", Layer::Middle),
    ("listings", Layer::Middle),
    ("path_rules", Layer::Middle),
    ("paths", Layer::Middle),
    ("state", Layer::Middle),
    // The WASI 0.2 imports.
    ("wasi", Layer::Imports),
    // Plain definitions everything may use.
    ("abi", Layer::Definitions),
    ("listen_variable", Layer::Definitions),
    ("region_layout", Layer::Definitions),
    ("traps", Layer::Definitions),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Definitions,
    Imports,
    Middle,
    Preview1,
    Root,
}

#[test]
fn adapter_modules_form_layers_without_cycles() {
    let graph = module_graph(&adapter_src());
    let mut problems = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            match (layer_of(from), layer_of(to)) {
                (Some(a), Some(b)) if b > a => {
                    problems.push(format!("{from} ({a:?}) points up to {to} ({b:?})"))
                }
                (Some(_), Some(_)) => {}
                _ => problems.push(format!("{from} -> {to}: give both a layer in LAYERS")),
            }
        }
    }
    for (name, _) in LAYERS {
        if !graph.contains_key(*name) {
            problems.push(format!(
                "LAYERS names {name}, which is no module of the adapter"
            ));
        }
    }
    for group in cycles(&graph) {
        problems.push(format!("cycle among: {}", group.join(", ")));
    }
    // A cycle through submodules is a cycle between the areas too.
    let mut areas: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &graph {
        let area = |module: &str| module.split("::").next().unwrap().to_string();
        let edges = areas.entry(area(from)).or_default();
        edges.extend(
            targets
                .iter()
                .map(|to| area(to))
                .filter(|to| *to != area(from)),
        );
    }
    for group in cycles(&areas) {
        problems.push(format!("cycle among the areas: {}", group.join(", ")));
    }
    assert!(
        problems.is_empty(),
        "the adapter's module graph breaks its layers:\n  {}",
        problems.join("\n  ")
    );
}

/// The extraction itself, on a small made-up crate.
#[test]
fn extraction_sees_groups_super_and_children() {
    let files = [
        ("crate", "mod a;\nmod b;\n"),
        (
            "a",
            "mod inner;\nuse crate::{b::{self, x}, c};\nfn f() { inner::g(); }",
        ),
        ("a::inner", "use super::f; // crate::d is a comment\n"),
        ("b", "pub fn x() { crate::c::y() }"),
        ("c", "//! only crate::a in docs\n"),
    ];
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.to_string()).collect();
    let graph: BTreeMap<String, BTreeSet<String>> = files
        .iter()
        .map(|(module, text)| (module.to_string(), references(module, text, &modules)))
        .collect();
    let edges = |m: &str| graph[m].iter().cloned().collect::<Vec<_>>();
    assert_eq!(edges("a"), ["a::inner", "b", "c"]);
    assert_eq!(edges("a::inner"), ["a"]);
    assert_eq!(edges("b"), ["c"]);
    assert!(edges("c").is_empty());
    assert_eq!(cycles(&graph), [["a", "a::inner"]]);
}

fn adapter_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../adapter/src")
}

fn layer_of(module: &str) -> Option<Layer> {
    let mut path = module;
    loop {
        if let Some((_, layer)) = LAYERS.iter().find(|(name, _)| *name == path) {
            return Some(*layer);
        }
        path = path.rsplit_once("::")?.0;
    }
}

/// Every module of the crate at `src`, with the modules it refers to.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    collect_files(src, src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|(module, _)| module.clone()).collect();
    files
        .iter()
        .map(|(module, path)| {
            let text = std::fs::read_to_string(path).expect("readable source");
            (module.clone(), references(module, &text, &modules))
        })
        .collect()
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_files(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            let module = if parts.is_empty() {
                "crate".to_string()
            } else {
                parts.join("::")
            };
            files.push((module, path));
        }
    }
}

/// The modules that `text`, the source of `module`, refers to.
fn references(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code = strip_comments(text);
    let parent = module.rsplit_once("::").map_or("crate", |(p, _)| p);
    let own_prefix = if module == "crate" {
        String::new()
    } else {
        format!("{module}::")
    };
    let children: Vec<String> = modules
        .iter()
        .filter_map(|m| m.strip_prefix(&own_prefix))
        .filter(|rest| !rest.is_empty() && !rest.contains("::"))
        .map(str::to_string)
        .collect();
    let mut found = BTreeSet::new();
    let tokens = tokenize(&code);
    for (i, token) in tokens.iter().enumerate() {
        let after_path_separator = i > 0 && tokens[i - 1] == "::";
        let starts_path = tokens.get(i + 1).is_some_and(|t| t == "::") && !after_path_separator;
        if !starts_path {
            continue;
        }
        let base: Vec<String> = match token.as_str() {
            "crate" => Vec::new(),
            "super" => split(parent),
            "self" => split(module),
            child if children.iter().any(|c| c == child) && !is_declaration(&tokens, i) => {
                let mut base = split(module);
                base.push(child.to_string());
                base
            }
            _ => continue,
        };
        for path in expand(&tokens[i + 2..], base) {
            if let Some(target) = deepest_module(&path, modules)
                && target != module
            {
                found.insert(target);
            }
        }
    }
    found
}

fn split(module: &str) -> Vec<String> {
    if module == "crate" {
        Vec::new()
    } else {
        module.split("::").map(str::to_string).collect()
    }
}

/// Whether the token at `i` is the name in a `mod name;` declaration.
fn is_declaration(tokens: &[String], i: usize) -> bool {
    i > 0 && tokens[i - 1] == "mod"
}

/// The paths a path tail names: `a::b`, or a group `{a, b::{c, self}}`.
fn expand(tail: &[String], base: Vec<String>) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut path = base;
    let mut i = 0;
    while i < tail.len() {
        let token = &tail[i];
        if token == "{" {
            // Each comma-separated member of the group, up to its `}`.
            let mut depth = 0;
            let mut start = i + 1;
            for j in i..tail.len() {
                match tail[j].as_str() {
                    "{" => depth += 1,
                    "}" => depth -= 1,
                    "," if depth == 1 => {
                        paths.extend(expand(&tail[start..j], path.clone()));
                        start = j + 1;
                    }
                    _ => {}
                }
                if depth == 0 {
                    paths.extend(expand(&tail[start..j], path.clone()));
                    return paths;
                }
            }
            return paths;
        }
        if token == "self" {
            break;
        }
        if !is_identifier(token) {
            break;
        }
        path.push(token.clone());
        if tail.get(i + 1).is_some_and(|t| t == "::") {
            i += 2;
        } else {
            break;
        }
    }
    paths.push(path);
    paths
}

fn deepest_module(path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    (0..=path.len()).rev().find_map(|n| {
        let candidate = if n == 0 {
            "crate".to_string()
        } else {
            path[..n].join("::")
        };
        modules.contains(&candidate).then_some(candidate)
    })
}

fn is_identifier(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation characters; string and char
/// literals are dropped.
fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".into());
            i += 2;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    tokens
}

/// `text` without `//` comments (doc comments included) and `/* */` blocks.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let line_comment = rest.find("//");
        let block_comment = rest.find("/*");
        match (line_comment, block_comment) {
            (Some(l), b) if b.is_none_or(|b| l < b) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |end| &rest[l + end..]);
            }
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                rest = rest[b..].find("*/").map_or("", |end| &rest[b + end + 2..]);
            }
            _ => {
                out.push_str(rest);
                rest = "";
            }
        }
    }
    out
}

/// The groups of modules that reach each other (the graph's strongly
/// connected components with more than one module), each sorted.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(node) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|node| (node, reach(node))).collect();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for node in graph.keys() {
        if groups.iter().any(|group| group.contains(node)) || !reaches[node].contains(node) {
            continue;
        }
        let group: Vec<String> = graph
            .keys()
            .filter(|other| reaches[node].contains(*other) && reaches[*other].contains(node))
            .cloned()
            .collect();
        groups.push(group);
    }
    groups
}
