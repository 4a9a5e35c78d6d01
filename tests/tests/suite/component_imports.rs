//! What each upgraded program asks of its host: exactly the WASI 0.2
//! interfaces its preview1 functions need, listed per program.

use std::collections::BTreeSet;

use wasi_upgrade_tests::Program;
use wasi_upgrade_tests::inspect::{component_imports, core_imports, without_version};

/// What every program of the corpus imports (each writes with `fd_write`):
/// the standard streams and `wasi:io`'s streams and errors.
const EVERY_PROGRAM: &[&str] = &["cli/stderr", "cli/stdout", "io/error", "io/streams"];

/// What the full adapter adds for programs that import a function able to
/// reach a file, a directory or a socket (the others get the stdio build,
/// `wasi_upgrade::AdapterBuild::Stdio`): `wasi:filesystem/types`, with
/// `wasi:clocks/wall-clock` for its `datetime`.
const FULL: &[&str] = &["clocks/wall-clock", "filesystem/types"];

/// What the preopens build adds for programs that reach fds beyond stdio
/// but import none of `path_open`, `fd_readdir` and `sock_accept`
/// (`wasi_upgrade::AdapterBuild::Preopens`): `wasi:filesystem/types` for
/// the preopens, without the wall clock unless a function it imports
/// reports timestamps (the C hello world is such a program: wasi-libc's
/// stdio asks whether stdout is a terminal and closes the streams at exit).
const PREOPENS: &[&str] = &["filesystem/types"];

/// Asked whether stdio is a terminal (`fd_fdstat_get`, `fd_filestat_get`
/// and what reaches them, on fds 0-2).
const TERMINALS: &[&str] = &[
    "cli/terminal-input",
    "cli/terminal-output",
    "cli/terminal-stderr",
    "cli/terminal-stdin",
    "cli/terminal-stdout",
];

/// A server's listener build (the module imports `sock_accept`): it
/// listens on the addresses in `WASI_UPGRADE_TCPLISTEN` before `_start`.
/// Only this build can hold sockets, so only its programs import
/// `wasi:sockets/tcp` too.
const LISTENER: &[&str] = &[
    "sockets/instance-network",
    "sockets/network",
    "sockets/tcp-create-socket",
];

/// Every program of the corpus and, beyond [`EVERY_PROGRAM`], exactly what
/// its component imports (without the `wasi:` prefix and the version).
/// Some landmarks: `wasi:cli/environment` exactly for the programs that
/// import an `args_*` or `environ_*` function, `wasi:random/random` exactly
/// for `random_get`, `wasi:clocks/monotonic-clock` exactly for
/// `clock_time_get` or `poll_oneoff` (of either namespace); the preopens only where a function is handed an fd
/// that could be a directory (they are discovered then), so never for
/// `rust/hello`, which only writes to stdout and exits, and gets the stdio
/// build.
#[rustfmt::skip]
const PROGRAMS: &[(&str, &[&[&str]])] = &[
    ("assemblyscript/as_files", &[&["cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], FULL]),
    ("assemblyscript/as_grow", &[&["cli/exit"]]),
    ("assemblyscript/as_process", &[&["cli/environment", "cli/exit"]]),
    ("c/c_dirent", &[&["cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("c/c_echo_server", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "sockets/tcp"], TERMINALS, LISTENER, FULL]),
    ("c/c_hello", &[&["cli/exit", "filesystem/preopens"], TERMINALS, PREOPENS]),
    ("c/c_preopen_fds", &[&["cli/exit", "cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "filesystem/preopens", "io/poll"], TERMINALS, PREOPENS]),
    ("c/c_save_stdout", &[&["cli/exit", "filesystem/preopens"], TERMINALS, FULL]),
    ("c/c_sleep", &[&["cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("c/c_stdio", &[&["cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("c/c_unistd", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("cpp/cpp_capture_stdout", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("cpp/cpp_files", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("cpp/cpp_streams", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, PREOPENS]),
    ("go/echo_server", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random", "sockets/tcp"], TERMINALS, LISTENER, FULL]),
    ("go/goroutines", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random"], TERMINALS, FULL]),
    ("rust/append_writer", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], FULL]),
    ("rust/args", &[&["cli/environment", "cli/exit"]]),
    ("rust/bad_pointers", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("rust/bench", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random"], TERMINALS, FULL]),
    ("rust/big_vec", &[&["cli/environment", "cli/exit"]]),
    ("rust/clocks", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "io/poll"]]),
    ("rust/echo_server", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "sockets/tcp"], TERMINALS, LISTENER, FULL]),
    ("rust/env", &[&["cli/environment", "cli/exit"]]),
    ("rust/exit_raw", &[&["cli/environment", "cli/exit"]]),
    ("rust/exit_std", &[&["cli/environment", "cli/exit"]]),
    ("rust/fdstat", &[&["cli/environment", "cli/exit", "filesystem/preopens"], TERMINALS, PREOPENS]),
    ("rust/file_times", &[&["cli/environment", "cli/exit", "filesystem/preopens"], TERMINALS, FULL]),
    ("rust/files", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("rust/fs_invalid_args", &[&["cli/environment", "cli/exit", "filesystem/preopens"], FULL]),
    ("rust/fs_many_fds", &[&["cli/environment", "cli/exit", "filesystem/preopens"], TERMINALS, FULL]),
    ("rust/fs_raw_errors", &[&["cli/environment", "cli/exit", "filesystem/preopens"], TERMINALS, FULL]),
    ("rust/fs_raw_files", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("rust/fs_raw_paths", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], FULL]),
    ("rust/fs_readdir", &[&["cli/environment", "cli/exit", "filesystem/preopens"], FULL]),
    ("rust/fs_renumber", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("rust/fs_std", &[&["cli/environment", "cli/exit", "cli/stdin", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("rust/fuzz_preview1", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("rust/fuzz_regressions", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll"], FULL]),
    ("rust/hello", &[&["cli/environment", "cli/exit"]]),
    ("rust/listener_env", &[&["cli/environment", "cli/exit", "filesystem/preopens", "io/poll", "sockets/tcp"], TERMINALS, LISTENER, FULL]),
    ("rust/panic", &[&["cli/environment", "cli/exit"]]),
    ("rust/path_trailing_slash", &[&["cli/environment", "cli/exit", "filesystem/preopens"], TERMINALS, FULL]),
    ("rust/poll_clocks", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "io/poll"]]),
    ("rust/poll_exit", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "io/poll"]]),
    ("rust/poll_fds", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll"], FULL]),
    ("rust/preopen_scan", &[&["cli/environment", "cli/exit", "filesystem/preopens"], PREOPENS]),
    ("rust/prestat", &[&["cli/environment", "cli/exit", "filesystem/preopens"], PREOPENS]),
    ("rust/process", &[&["cli/environment", "cli/exit", "clocks/monotonic-clock", "clocks/wall-clock"]]),
    ("rust/random", &[&["cli/environment", "cli/exit", "random/random"]]),
    ("rust/readdir_rewind", &[&["cli/environment", "cli/exit", "filesystem/preopens"], FULL]),
    ("rust/sleep", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "io/poll"]]),
    ("rust/stdin_echo", &[&["cli/environment", "cli/exit", "cli/stdin", "io/poll"]]),
    ("rust/stdin_iovecs", &[&["cli/environment", "cli/exit", "cli/stdin", "io/poll"]]),
    ("rust/write_vectored", &[&["cli/environment", "cli/exit"]]),
    ("wat/greedy_alloc", &[&["cli/environment", "cli/exit"]]),
    ("wat/memory_maximum", &[&["cli/environment"]]),
    ("wat/memory_maximum_near", &[&["cli/environment"]]),
    ("wat/memory_start_section", &[&["cli/environment"]]),
    ("wat/memory_write_past_end", &[&[]]),
    ("wat/memory_zero_pages", &[&["cli/environment"]]),
    ("wat/null_pointers", &[&["cli/environment", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random"], FULL]),
    ("wat/stdio_beside_preopens", &[&["cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "io/poll"]]),
    ("wat/unstable", &[&["cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll"], TERMINALS, FULL]),
    ("wat/untrusted_counts", &[&["cli/stdin", "clocks/monotonic-clock", "clocks/wall-clock", "io/poll"]]),
    ("zig/zig_alloc", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random"], TERMINALS, FULL]),
    ("zig/zig_fs", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random"], TERMINALS, FULL]),
    ("zig/zig_process", &[&["cli/environment", "cli/exit", "cli/stdin", "clocks/monotonic-clock", "filesystem/preopens", "io/poll", "random/random"], TERMINALS, FULL]),
];

/// The interfaces `name` must import, without prefix and version.
fn expected(name: &str) -> BTreeSet<String> {
    let Some((_, groups)) = PROGRAMS.iter().find(|(program, _)| *program == name) else {
        panic!("{name} is not listed in PROGRAMS (tests/suite/component_imports.rs)")
    };
    let mut interfaces: BTreeSet<String> = EVERY_PROGRAM.iter().map(|i| i.to_string()).collect();
    for group in groups.iter() {
        for interface in group.iter() {
            assert!(
                interfaces.insert(interface.to_string()),
                "{name} lists {interface} twice"
            );
        }
    }
    interfaces
}

/// What the upgraded `program` imports, without prefix and version; every
/// import is a `wasi:` interface.
fn imported(program: Program) -> BTreeSet<String> {
    let module = program.bytes();
    let component = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())
        .unwrap_or_else(|e| panic!("upgrading {}: {e}", program.name()));
    component_imports(&component)
        .unwrap()
        .iter()
        .map(|import| {
            let interface = without_version(import);
            interface
                .strip_prefix("wasi:")
                .unwrap_or_else(|| panic!("{} imports {import}", program.name()))
                .to_owned()
        })
        .collect()
}

#[test]
fn each_program_imports_exactly_what_its_functions_need() {
    let programs: Vec<Program> = Program::all().collect();
    let listed: Vec<&str> = PROGRAMS.iter().map(|(name, _)| *name).collect();
    let unlisted: Vec<&str> = programs
        .iter()
        .map(|program| program.name())
        .filter(|name| !listed.contains(name))
        .collect();
    assert!(
        unlisted.is_empty(),
        "programs not in PROGRAMS: {unlisted:?}"
    );
    let built: Vec<&str> = programs.iter().map(|program| program.name()).collect();
    let gone: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|name| !built.contains(name))
        .collect();
    assert!(
        gone.is_empty(),
        "PROGRAMS lists programs that are not built: {gone:?}"
    );

    // Upgrading the 3 MB Go programs takes seconds: share the work.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let differences: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let programs = &programs;
                scope.spawn(move || {
                    programs
                        .iter()
                        .skip(worker)
                        .step_by(workers)
                        .filter_map(|program| difference(*program))
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap())
            .collect()
    });
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// How `program`'s imports differ from its list, if they do.
fn difference(program: Program) -> Option<String> {
    let name = program.name();
    let (expected, imported) = (expected(name), imported(program));
    if expected == imported {
        return None;
    }
    let preview1: Vec<String> = core_imports(&program.bytes())
        .unwrap()
        .into_iter()
        .map(|(module, function)| format!("{module}.{function}"))
        .collect();
    Some(format!(
        "{name}: imports {:?} it does not list, lacks {:?} it lists; its preview1 imports: {preview1:?}",
        imported.difference(&expected).collect::<Vec<_>>(),
        expected.difference(&imported).collect::<Vec<_>>(),
    ))
}

/// What the upgrade adds to a Rust and a C hello world stays at most half
/// of what the existing adapter adds, counted both ways: beyond the module
/// as its toolchain emitted it, and beyond the module as the component
/// embeds it (the memory rewrite re-encodes the program's code, 1.2 KB
/// smaller for the Rust one, which is not the adapter's doing). README,
/// "Sizes".
#[test]
fn a_hello_world_carries_little_adapter() {
    for name in ["rust/hello", "c/c_hello"] {
        let module = Program::named(name).bytes();
        let ours = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default()).unwrap();
        let theirs = wit_component::ComponentEncoder::default()
            .module(&module)
            .unwrap()
            .adapter(
                "wasi_snapshot_preview1",
                wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
            )
            .unwrap()
            .encode()
            .unwrap();
        let theirs = theirs.len() - module.len();
        let embedded = first_core_module(&ours).len();
        for (counted_against, program) in [("as emitted", module.len()), ("as embedded", embedded)]
        {
            let ours = ours.len() - program;
            assert!(
                ours * 2 <= theirs,
                "the upgrade adds {ours} bytes to {name} ({counted_against}), the existing adapter {theirs}"
            );
        }
    }
}

/// The first core module a component embeds: the program.
fn first_core_module(component: &[u8]) -> &[u8] {
    for payload in wasmparser::Parser::new(0).parse_all(component) {
        if let Ok(wasmparser::Payload::ModuleSection {
            unchecked_range, ..
        }) = payload
        {
            return &component[unchecked_range];
        }
    }
    panic!("the component embeds no module")
}
