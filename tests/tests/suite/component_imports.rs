//! What the upgraded hello world asks of its host: only what printing needs.

use wasi_upgrade_tests::Program;
use wasi_upgrade_tests::inspect::{component_imports, core_imports, without_version};

/// Interfaces a program that only writes to stdout and exits may import.
///
/// `fd_write` can also write to files, so `wasi:filesystem/types` is in use
/// (and `wasi:clocks/wall-clock`, whose `datetime` type it uses), and `run`
/// reads the monotonic clock once for the CPU-time clocks. Never the
/// preopens: they are discovered only by functions that take a directory,
/// so a program that only writes never asks for them.
const ALLOWED: &[&str] = &[
    "wasi:filesystem/types",
    "wasi:clocks/wall-clock",
    "wasi:clocks/monotonic-clock",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
];

#[test]
fn upgraded_hello_world_imports_only_what_it_uses() {
    let module = Program::named("rust/hello").bytes();
    let component = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())
        .expect("upgrading hello world");
    let imports = component_imports(&component).unwrap();
    let preview1: Vec<String> = core_imports(&module)
        .unwrap()
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let context = format!(
        "the component imports {imports:#?}\nfor the module's preview1 imports {preview1:?}"
    );

    let unexpected: Vec<&String> = imports
        .iter()
        .filter(|i| !ALLOWED.contains(&without_version(i)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unneeded imports {unexpected:?}; {context}"
    );
    assert!(
        !imports
            .iter()
            .any(|i| without_version(i) == "wasi:filesystem/preopens"),
        "hello world asks for the preopens; {context}"
    );
    for needed in ["wasi:cli/stdout", "wasi:io/streams"] {
        assert!(
            imports.iter().any(|i| without_version(i) == needed),
            "no {needed}; {context}"
        );
    }
    for forbidden in [
        "wasi:filesystem/preopens",
        "wasi:sockets/",
        "wasi:random/",
        "wasi:http/",
    ] {
        assert!(
            !imports.iter().any(|i| i.starts_with(forbidden)),
            "imports {forbidden}*; {context}"
        );
    }
}
