//! The three kinds of component a preview1 module can become (command,
//! reactor, proxy), how the kind is detected, and `wasi_version` targeting.
//!
//! - `version::*`: for 0.2.0, 0.2.3, 0.2.6 and 0.2.12 an upgraded program
//!   imports only names of that release and runs on the embedded host;
//!   exit codes are exact from 0.2.12 and success/failure below.
//! - `reactor::*`: a wit-bindgen library and a plain library keep their
//!   exports; `_initialize` runs exactly once.
//! - `proxy::*`: a wit-bindgen `wasi:http/incoming-handler` is served over
//!   real loopback HTTP, logs to stdout and stderr, and gets the documented
//!   errnos from what the proxy world lacks.
//! - `detection::*`: the rules and their errors.

use std::path::Path;

use wasi_upgrade::{Error, Options, WasiVersion, World};
use wasi_upgrade_tests::inspect::component_imports;
use wasmparser::component_types::ComponentEntityType;
use wasmparser::{Validator, WasmFeatures};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

// FILE_LENGTH, HTTP_HELLO, PLAIN_LIBRARY: paths of the built test programs.
include!(concat!(env!("OUT_DIR"), "/rust_components.rs"));
// GO_LIBRARY: the Go library (`-buildmode=c-shared`).
include!(concat!(env!("OUT_DIR"), "/go_library.rs"));

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn upgrade(module: &[u8], options: &Options) -> Vec<u8> {
    wasi_upgrade::upgrade(module, options).unwrap_or_else(|e| panic!("upgrading: {e}"))
}

/// Store data for the embedded WASI 0.2 host.
struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// A compiled component and a linker with all of WASI 0.2 (sync).
fn load(engine: &Engine, component: &[u8]) -> (Component, Linker<Host>) {
    let component = Component::new(engine, component).expect("the component compiles");
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    (component, linker)
}

fn store(engine: &Engine, wasi: &mut WasiCtxBuilder) -> Store<Host> {
    Store::new(
        engine,
        Host {
            wasi: wasi.build(),
            table: ResourceTable::new(),
        },
    )
}

/// The names of the functions the component's import `name` provides.
fn imported_functions(component: &[u8], name: &str) -> Vec<String> {
    let types = Validator::new_with_features(WasmFeatures::all())
        .validate_all(component)
        .expect("the component validates");
    let Some(item) = types.component_item_for_import(name) else {
        panic!("the component does not import {name}")
    };
    let ComponentEntityType::Instance(instance) = item.ty else {
        panic!("{name} is not an instance")
    };
    types[instance]
        .exports
        .iter()
        .filter(|(_, item)| matches!(item.ty, ComponentEntityType::Func(_)))
        .map(|(name, _)| name.clone())
        .collect()
}

mod version {
    use super::*;

    /// Prints `hello`, touches arguments, environment, clocks, randomness
    /// and preopens (so the component imports from every package the
    /// adapter uses), then exits with 3.
    const COMMAND: &str = r#"(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) "hello\n")
      (func (export "_start")
        (drop (call $args (i32.const 128) (i32.const 132)))
        (drop (call $env (i32.const 128) (i32.const 132)))
        (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 136)))
        (drop (call $random (i32.const 144) (i32.const 8)))
        (drop (call $prestat (i32.const 3) (i32.const 152)))
        (i32.store (i32.const 32) (i32.const 64))
        (i32.store (i32.const 36) (i32.const 6))
        (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
        (call $exit (i32.const 3))))"#;

    #[test]
    fn each_version_imports_only_its_own_names_and_runs() {
        let engine = Engine::default();
        let module = wat::parse_str(COMMAND).unwrap();
        for patch in [0, 3, 6, 12] {
            let version = WasiVersion::new(patch).unwrap();
            let component = upgrade(&module, &Options::default().wasi_version(version));

            let suffix = format!("@{version}");
            let imports = component_imports(&component).unwrap();
            let foreign: Vec<&String> = imports
                .iter()
                .filter(|name| !(name.starts_with("wasi:") && name.ends_with(&suffix)))
                .collect();
            assert!(
                foreign.is_empty(),
                "{version}: imports {foreign:?} of {imports:?}"
            );
            for package in [
                "wasi:cli/",
                "wasi:io/",
                "wasi:clocks/",
                "wasi:random/",
                "wasi:filesystem/",
            ] {
                assert!(
                    imports.iter().any(|name| name.starts_with(package)),
                    "{version}: nothing from {package} in {imports:?}"
                );
            }
            let exit_functions = imported_functions(&component, &format!("wasi:cli/exit{suffix}"));
            let expected_exit = if patch >= 12 {
                "exit-with-code"
            } else {
                "exit"
            };
            assert_eq!(exit_functions, [expected_exit], "{version}");

            let (stdout, code) = run_command(&engine, &component);
            assert_eq!(stdout, "hello\n", "{version}");
            // Below 0.2.12 only success or failure can be reported.
            assert_eq!(code, if patch >= 12 { 3 } else { 1 }, "{version}");
        }
    }

    #[test]
    fn the_default_is_the_newest_release() {
        let module = wat::parse_str(COMMAND).unwrap();
        let default = upgrade(&module, &Options::default());
        let newest = upgrade(
            &module,
            &Options::default().wasi_version(WasiVersion::NEWEST),
        );
        assert_eq!(default, newest);
        assert_eq!(WasiVersion::DEFAULT, WasiVersion::NEWEST);
    }

    /// Runs `wasi:cli/run` with no arguments, variables or preopens.
    fn run_command(engine: &Engine, component: &[u8]) -> (String, i32) {
        let (component, linker) = load(engine, component);
        let stdout = MemoryOutputPipe::new(1 << 16);
        let mut store = store(engine, WasiCtx::builder().stdout(stdout.clone()));
        let command = wasmtime_wasi::p2::bindings::sync::Command::instantiate(
            &mut store, &component, &linker,
        )
        .expect("the component links against the 0.2.12 host");
        let code = match command.wasi_cli_run().call_run(&mut store) {
            Ok(Ok(())) => 0,
            Ok(Err(())) => 1,
            Err(error) => match error.downcast_ref::<I32Exit>() {
                Some(I32Exit(code)) => *code,
                None => panic!("the program failed: {error:?}"),
            },
        };
        drop(store);
        (String::from_utf8(stdout.contents().to_vec()).unwrap(), code)
    }
}

mod reactor {
    use super::*;

    #[test]
    fn a_wit_bindgen_library_reads_a_file_through_the_adapter() {
        let component = upgrade(&read(FILE_LENGTH), &Options::default());
        let imports = component_imports(&component).unwrap();
        assert!(
            !imports.iter().any(|name| name.starts_with("wasi:cli/run")),
            "{imports:?}"
        );

        let data = tempfile::tempdir().unwrap();
        std::fs::write(data.path().join("file.bin"), vec![7u8; 12345]).unwrap();
        let engine = Engine::default();
        let (component, linker) = load(&engine, &component);
        let mut wasi = WasiCtx::builder();
        wasi.preopened_dir(data.path(), "/data", FsPerms::ReadWrite)
            .unwrap();
        let mut store = store(&engine, &mut wasi);
        let instance = linker.instantiate(&mut store, &component).unwrap();
        let length_of = instance
            .get_typed_func::<(&str,), (Result<u64, String>,)>(&mut store, "length-of")
            .expect("the component exports `length-of`");

        let (length,) = length_of.call(&mut store, ("/data/file.bin",)).unwrap();
        assert_eq!(length, Ok(12345));
        let (missing,) = length_of.call(&mut store, ("/data/none",)).unwrap();
        let message = missing.unwrap_err();
        assert!(message.starts_with("/data/none: "), "{message}");
    }

    #[test]
    fn a_plain_library_keeps_its_exports_and_initializes_once() {
        let component = upgrade(&read(PLAIN_LIBRARY), &Options::default());
        let engine = Engine::default();
        let (component, linker) = load(&engine, &component);
        let mut store = store(&engine, WasiCtx::builder().envs(&[("A", "1"), ("B", "2")]));
        let instance = linker.instantiate(&mut store, &component).unwrap();

        let initializations = instance
            .get_typed_func::<(), (i32,)>(&mut store, "initializations")
            .unwrap();
        let count_initializations =
            |store: &mut Store<Host>| initializations.call(store, ()).unwrap().0;
        assert_eq!(
            count_initializations(&mut store),
            1,
            "before any other export"
        );

        let add = instance
            .get_typed_func::<(i32, i32), (i32,)>(&mut store, "add")
            .unwrap();
        assert_eq!(add.call(&mut store, (2, 40)).unwrap(), (42,));
        // `sum_of_squares` in the module: WIT names are kebab-case.
        let sum_of_squares = instance
            .get_typed_func::<(f64, f64), (f64,)>(&mut store, "sum-of-squares")
            .unwrap();
        assert_eq!(
            sum_of_squares.call(&mut store, (3.0, 4.0)).unwrap(),
            (25.0,)
        );
        let environment_size = instance
            .get_typed_func::<(), (i64,)>(&mut store, "environment-size")
            .unwrap();
        assert_eq!(environment_size.call(&mut store, ()).unwrap(), (2,));

        assert_eq!(count_initializations(&mut store), 1, "after other exports");
    }
}

/// A Go library (`GOOS=wasip1 -buildmode=c-shared`, `//go:wasmexport`) as
/// a reactor: the same calls, in the same order, on the native module
/// (Wasmtime's preview1) and through the upgraded component (on Wasmtime's
/// WASI 0.2 host and on jco) give the same numbers, with goroutines, timers
/// and garbage collection inside the calls.
mod go_library {
    use wasi_upgrade_tests::Jco;
    use wasmtime::Module;
    use wasmtime_wasi::p1::{self, WasiP1Ctx};

    use super::*;

    /// Every call the test makes: export name, and its argument.
    #[derive(Clone, Copy, Debug)]
    enum Call {
        FibSumParallel(i32),
        Churn(i32),
        Timers(i32),
        Accumulate(f64),
        EnvironmentSize,
    }

    const CALLS: [Call; 9] = [
        Call::FibSumParallel(40),
        Call::Accumulate(1.5),
        Call::Churn(48),
        Call::Timers(20),
        Call::Accumulate(2.25),
        Call::FibSumParallel(90),
        Call::Churn(16),
        Call::EnvironmentSize,
        Call::Accumulate(-0.75),
    ];

    impl Call {
        /// The export's name in the component (WIT's kebab-case).
        fn component_export(self) -> &'static str {
            match self {
                Call::FibSumParallel(_) => "fib-sum-parallel",
                Call::Churn(_) => "churn",
                Call::Timers(_) => "timers",
                Call::Accumulate(_) => "accumulate",
                Call::EnvironmentSize => "environment-size",
            }
        }

        fn arguments(self) -> Vec<serde_json::Value> {
            match self {
                Call::FibSumParallel(n) | Call::Churn(n) | Call::Timers(n) => vec![n.into()],
                Call::Accumulate(x) => vec![x.into()],
                Call::EnvironmentSize => Vec::new(),
            }
        }

        /// What jco reported the call returned, as `native` words it: jco
        /// gives 64-bit integers as decimal strings, other numbers as numbers.
        fn jco_result(self, value: &serde_json::Value) -> Option<String> {
            match self {
                Call::FibSumParallel(_) | Call::Churn(_) => {
                    Some(value.as_str()?.parse::<i64>().ok()?.to_string())
                }
                Call::Timers(_) | Call::EnvironmentSize => {
                    Some(i32::try_from(value.as_i64()?).ok()?.to_string())
                }
                Call::Accumulate(_) => Some(value.as_f64()?.to_string()),
            }
        }
    }

    const ENV: [(&str, &str); 3] = [("A", "1"), ("B", "2"), ("C", "3")];

    /// The native answers, computed once for every test that needs them,
    /// and checked against what the library must answer anyway.
    fn native_answers() -> &'static [String] {
        static NATIVE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        NATIVE.get_or_init(|| {
            let native = native(&read(GO_LIBRARY));
            // fib(0) + ... + fib(39) = fib(41) - 1; 20 timers all fired; 3 variables.
            assert_eq!(native[0], "165580140");
            assert_eq!(native[3], "20");
            assert_eq!(native[7], "3");
            assert_eq!(native[8], "3");
            native
        })
    }

    /// What each call returned, as text (numbers of several types).
    fn native(module: &[u8]) -> Vec<String> {
        let engine = Engine::default();
        let module = Module::new(&engine, module).unwrap();
        let mut linker = wasmtime::Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |ctx: &mut WasiP1Ctx| ctx).unwrap();
        let mut store = Store::new(&engine, WasiCtxBuilder::new().envs(&ENV).build_p1());
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let initialize = instance
            .get_typed_func::<(), ()>(&mut store, "_initialize")
            .unwrap();
        initialize.call(&mut store, ()).unwrap();
        CALLS
            .iter()
            .map(|call| match *call {
                Call::FibSumParallel(n) => {
                    let f = instance.get_typed_func::<i32, i64>(&mut store, "fib_sum_parallel");
                    f.unwrap().call(&mut store, n).unwrap().to_string()
                }
                Call::Churn(n) => {
                    let f = instance.get_typed_func::<i32, i64>(&mut store, "churn");
                    f.unwrap().call(&mut store, n).unwrap().to_string()
                }
                Call::Timers(n) => {
                    let f = instance.get_typed_func::<i32, i32>(&mut store, "timers");
                    f.unwrap().call(&mut store, n).unwrap().to_string()
                }
                Call::Accumulate(x) => {
                    let f = instance.get_typed_func::<f64, f64>(&mut store, "accumulate");
                    f.unwrap().call(&mut store, x).unwrap().to_string()
                }
                Call::EnvironmentSize => {
                    let f = instance.get_typed_func::<(), i32>(&mut store, "environment_size");
                    f.unwrap().call(&mut store, ()).unwrap().to_string()
                }
            })
            .collect()
    }

    fn upgraded(module: &[u8]) -> Vec<String> {
        let component = upgrade(module, &Options::default());
        let engine = Engine::default();
        let (component, linker) = load(&engine, &component);
        let mut store = store(&engine, WasiCtx::builder().envs(&ENV));
        let instance = linker.instantiate(&mut store, &component).unwrap();
        CALLS
            .iter()
            .map(|call| match *call {
                Call::FibSumParallel(n) => {
                    let f =
                        instance.get_typed_func::<(i32,), (i64,)>(&mut store, "fib-sum-parallel");
                    f.unwrap().call(&mut store, (n,)).unwrap().0.to_string()
                }
                Call::Churn(n) => {
                    let f = instance.get_typed_func::<(i32,), (i64,)>(&mut store, "churn");
                    f.unwrap().call(&mut store, (n,)).unwrap().0.to_string()
                }
                Call::Timers(n) => {
                    let f = instance.get_typed_func::<(i32,), (i32,)>(&mut store, "timers");
                    f.unwrap().call(&mut store, (n,)).unwrap().0.to_string()
                }
                Call::Accumulate(x) => {
                    let f = instance.get_typed_func::<(f64,), (f64,)>(&mut store, "accumulate");
                    f.unwrap().call(&mut store, (x,)).unwrap().0.to_string()
                }
                Call::EnvironmentSize => {
                    let f = instance.get_typed_func::<(), (i32,)>(&mut store, "environment-size");
                    f.unwrap().call(&mut store, ()).unwrap().0.to_string()
                }
            })
            .collect()
    }

    /// The same calls through the upgraded component on jco (Node.js),
    /// one instance for all of them.
    fn on_jco(module: &[u8]) -> Vec<String> {
        let component = upgrade(module, &Options::default());
        let calls: Vec<(&str, Vec<serde_json::Value>)> = CALLS
            .iter()
            .map(|call| (call.component_export(), call.arguments()))
            .collect();
        let results = Jco::call_exports("go-library", &component, &ENV, &calls)
            .unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(results.len(), CALLS.len(), "{results:?}");
        CALLS
            .iter()
            .zip(&results)
            .map(|(call, value)| {
                call.jco_result(value)
                    .unwrap_or_else(|| panic!("{call:?} returned {value} on jco"))
            })
            .collect()
    }

    #[test]
    fn exports_answer_as_on_native_preview1() {
        let upgraded = upgraded(&read(GO_LIBRARY));
        let calls: Vec<String> = CALLS.iter().map(|call| format!("{call:?}")).collect();
        assert_eq!(upgraded, native_answers(), "calls: {calls:?}");
    }

    #[test]
    fn exports_answer_on_jco_as_on_native_preview1() {
        let on_jco = on_jco(&read(GO_LIBRARY));
        let calls: Vec<String> = CALLS.iter().map(|call| format!("{call:?}")).collect();
        assert_eq!(on_jco, native_answers(), "calls: {calls:?}");
    }
}

mod proxy {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::Duration;

    use wasi_upgrade::serve::Server;

    use super::*;

    /// Interfaces a `wasi:http/proxy` host does not have.
    const NOT_IN_PROXY: [&str; 7] = [
        "wasi:cli/environment",
        "wasi:cli/exit",
        "wasi:cli/terminal-",
        "wasi:cli/run",
        "wasi:filesystem/",
        "wasi:sockets/",
        "wasi:random/insecure",
    ];

    #[test]
    fn an_http_handler_is_served_over_loopback() {
        let component = upgrade(&read(HTTP_HELLO), &Options::default());
        let imports = component_imports(&component).unwrap();
        for absent in NOT_IN_PROXY {
            assert!(
                !imports.iter().any(|name| name.starts_with(absent)),
                "imports {absent}*: {imports:?}"
            );
        }

        let logs = tempfile::tempdir().unwrap();
        let log = |name: &str| std::fs::File::create(logs.path().join(name)).unwrap();
        let server = Server::bind(&component, "127.0.0.1:0".parse().unwrap())
            .unwrap()
            .log_to(log("stdout"), log("stderr"));
        let addr = server.local_addr();
        let stopper = server.stopper();
        let serving = std::thread::spawn(move || server.run());

        let (status, body) = get(addr, "/hello/world");
        assert_eq!((status, body.as_str()), (200, "hello, world!\n"));
        let (status, body) = get(addr, "/hello/again");
        assert_eq!((status, body.as_str()), (200, "hello, again!\n"));
        let (status, body) = get(addr, "/elsewhere");
        assert_eq!((status, body.as_str()), (404, "no route for /elsewhere\n"));

        // What the proxy world cannot back answers as a host without it
        // would: nothing to list, no descriptors; and nothing traps.
        let (status, body) = get(addr, "/probe");
        assert_eq!(status, 200);
        assert_eq!(
            body,
            "args_sizes_get=0 count=0 size=0\n\
             environ_sizes_get=0 count=0 size=0\n\
             fd_prestat_get(3)=8\n\
             fd_fdstat_get(3)=8\n\
             path_open(3)=8\n\
             fd_close(3)=8\n\
             fd_fdstat_get(1)=0\n"
        );

        // A proxy cannot exit: the request fails, the server goes on.
        let (status, body) = get(addr, "/exit");
        assert_eq!(status, 500, "{body}");
        assert!(body.contains("unreachable"), "{body}");
        assert_eq!(get(addr, "/hello/after").0, 200);

        stopper.stop();
        serving.join().unwrap().unwrap();
        let stdout = std::fs::read_to_string(logs.path().join("stdout")).unwrap();
        let stderr = std::fs::read_to_string(logs.path().join("stderr")).unwrap();
        for path in [
            "/hello/world",
            "/hello/again",
            "/elsewhere",
            "/probe",
            "/exit",
        ] {
            assert!(stdout.contains(&format!("handling {path}\n")), "{stdout}");
        }
        assert!(
            stderr.contains("answered /hello/world with 200\n"),
            "{stderr}"
        );
        assert!(
            stderr.contains("answered /elsewhere with 404\n"),
            "{stderr}"
        );
        assert!(
            stderr.contains("wasi-upgrade: error: the handler failed on /exit"),
            "{stderr}"
        );
    }

    /// `GET path` over a fresh HTTP/1.1 connection: the status and the body.
    fn get(addr: SocketAddr, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response
            .split_once("\r\n\r\n")
            .expect("a complete response");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        let chunked = head
            .lines()
            .any(|line| line.eq_ignore_ascii_case("transfer-encoding: chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_owned()
        };
        (status, body)
    }

    /// The payload of a chunked body.
    fn dechunk(mut body: &str) -> String {
        let mut payload = String::new();
        loop {
            let (size, rest) = body.split_once("\r\n").expect("a chunk size line");
            let size = usize::from_str_radix(size.trim(), 16).expect("a hexadecimal chunk size");
            if size == 0 {
                return payload;
            }
            payload.push_str(&rest[..size]);
            body = rest[size..]
                .strip_prefix("\r\n")
                .expect("CRLF after a chunk");
        }
    }
}

mod detection {
    use super::*;

    const COMMAND: &str = r#"(module (memory (export "memory") 1) (func (export "_start")))"#;
    const LIBRARY: &str = r#"(module (memory (export "memory") 1) (func (export "answer") (result i32) i32.const 42))"#;

    fn exports_run(component: &[u8]) -> bool {
        let types = Validator::new_with_features(WasmFeatures::all())
            .validate_all(component)
            .unwrap();
        types
            .component_item_for_export("wasi:cli/run@0.2.12")
            .is_some()
    }

    #[test]
    fn start_makes_a_command_a_handler_a_proxy_and_anything_else_a_reactor() {
        let command = upgrade(&wat::parse_str(COMMAND).unwrap(), &Options::default());
        assert!(exports_run(&command));
        let library = upgrade(&wat::parse_str(LIBRARY).unwrap(), &Options::default());
        assert!(!exports_run(&library));
        // Detected as a proxy: it then imports nothing but the proxy world.
        let handler = upgrade(&read(HTTP_HELLO), &Options::default());
        let forced = upgrade(&read(HTTP_HELLO), &Options::default().world(World::Proxy));
        assert_eq!(handler, forced);
    }

    #[test]
    fn the_world_option_overrides_and_impossible_choices_are_errors() {
        let library = wat::parse_str(LIBRARY).unwrap();
        let command = wat::parse_str(COMMAND).unwrap();
        let as_reactor = upgrade(&command, &Options::default().world(World::Reactor));
        assert!(!exports_run(&as_reactor));
        let upgrade_as = |module: &[u8], world| {
            wasi_upgrade::upgrade(module, &Options::default().world(world)).unwrap_err()
        };
        assert_eq!(upgrade_as(&library, World::Command), Error::NoStartExport);
        assert_eq!(upgrade_as(&library, World::Proxy), Error::NoIncomingHandler);
        assert_eq!(upgrade_as(&command, World::Proxy), Error::NoIncomingHandler);
    }

    #[test]
    fn a_program_that_is_also_a_handler_must_be_told_which() {
        let mut both = wat::parse_str(COMMAND).unwrap();
        both.extend(component_type_sections(&read(HTTP_HELLO)));
        let error = wasi_upgrade::upgrade(&both, &Options::default()).unwrap_err();
        assert_eq!(error, Error::AmbiguousWorld);
        let message = error.to_string();
        assert!(
            message.contains("--world command") && message.contains("--world proxy"),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }

    /// The `component-type` custom sections of `module`, encoded as sections.
    fn component_type_sections(module: &[u8]) -> Vec<u8> {
        let mut sections = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(module) {
            if let wasmparser::Payload::CustomSection(section) = payload.unwrap()
                && section.name().starts_with("component-type")
            {
                let range = section.range();
                sections.push(0);
                leb128(&mut sections, range.len());
                sections.extend_from_slice(&module[range]);
            }
        }
        assert!(!sections.is_empty(), "the handler has an embedded world");
        sections
    }

    fn leb128(out: &mut Vec<u8>, mut value: usize) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
}

#[test]
fn no_test_program_is_left_untested() {
    // Each constant of `rust_components.rs` is used above; a new crate
    // under programs/rust-components needs a test here too.
    let built = include_str!(concat!(env!("OUT_DIR"), "/rust_components.rs"));
    let tested = [FILE_LENGTH, HTTP_HELLO, PLAIN_LIBRARY];
    assert!(Path::new(GO_LIBRARY).is_file());
    let declared = built
        .lines()
        .filter(|line| line.starts_with("pub const"))
        .count();
    assert_eq!(declared, tested.len(), "{built}");
    assert!(tested.iter().all(|path| Path::new(path).is_file()));
}
