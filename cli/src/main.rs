//! The `wasi-upgrade` command: reads files, calls the library, writes files,
//! and runs programs on the embedded host.

mod inspection_report;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use wasi_upgrade::run::{Invocation, Outcome, Preopen};
use wasi_upgrade::serve::Server;
use wasi_upgrade::{Error, Options, WasiVersion, World, one_line};

const EXAMPLES: &str = "\
Examples:
  Upgrade a program (short for `wasi-upgrade upgrade app.wasm -o app.component.wasm`):
    wasi-upgrade app.wasm -o app.component.wasm
  Upgrade a library, and write the component to stdout:
    wasi-upgrade lib.wasm --world reactor -o - > lib.component.wasm
  Upgrade for a host that only knows WASI 0.2.0:
    wasi-upgrade app.wasm -o app.component.wasm --wasi-version 0.2.0
  Run a program with a directory, a variable and arguments:
    wasi-upgrade run app.wasm --dir ./data::/data --env LANG=C -- --verbose /data/in.txt
  Serve an HTTP handler (built with wit-bindgen for wasi:http/proxy):
    wasi-upgrade serve handler.wasm --addr 127.0.0.1:8080

A module that exports `_start` becomes a command (it exports `wasi:cli/run`); a module whose
embedded WIT world exports `wasi:http/incoming-handler` becomes a proxy (an HTTP handler);
any other module becomes a reactor, a library whose exports stay the component's exports.

Exit status:
  0    success; `run` exits with the program's own exit code instead
  1    the input cannot be upgraded or run, or a file cannot be read or written
  2    the command line is wrong
  134  `run`: the program trapped (the same status `wasmtime run` uses)";

#[derive(Parser)]
#[command(
    name = "wasi-upgrade",
    version,
    about = "Upgrade WASI preview1 modules into WASI 0.2 components that run on any 0.2 host",
    override_usage = "wasi-upgrade [upgrade] <INPUT> -o <FILE> [--world <WORLD>] \
                      [--wasi-version <VERSION>]\n       \
                      wasi-upgrade run [OPTIONS] <INPUT> [-- <ARGS>...]\n       \
                      wasi-upgrade serve [OPTIONS] <INPUT>\n       \
                      wasi-upgrade inspect [--json] <INPUT>\n       \
                      wasi-upgrade adapter --world <WORLD> -o <FILE>",
    after_help = EXAMPLES,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Upgrade a module into a component (the default: the word `upgrade` may be left out)
    #[command(after_help = EXAMPLES)]
    Upgrade(UpgradeArgs),
    /// Upgrade a program in memory and run it on the embedded Wasmtime, through WASI 0.2 only
    #[command(after_help = RUN_NOTES)]
    Run(RunArgs),
    /// Upgrade an HTTP handler in memory and serve it on the embedded Wasmtime, like `wasmtime serve`
    #[command(after_help = SERVE_NOTES)]
    Serve(ServeArgs),
    /// Tell what an upgrade would do with a module: its preview1 functions, the kind of
    /// component, what that imports, and anything that stops the upgrade
    #[command(after_help = INSPECT_NOTES)]
    Inspect(InspectArgs),
    /// Write the adapter itself, for `wasm-tools component new --adapt` or `jco new`
    #[command(after_help = ADAPTER_NOTES)]
    Adapter(AdapterArgs),
}

const INSPECT_NOTES: &str = "\
Nothing is written. Exit status 0 when the module can be upgraded, 1 when it cannot (the reason
is the same line `wasi-upgrade upgrade` would print).

Examples:
    wasi-upgrade inspect app.wasm
    wasi-upgrade inspect lib.wasm --world reactor --json | jq .component_imports";
const ADAPTER_NOTES: &str = "\
The file is a drop-in replacement for the adapter other tools splice in:
    wasm-tools component new app.wasm --adapt wasi_snapshot_preview1=FILE -o app.component.wasm
    jco new app.wasm --adapt wasi_snapshot_preview1=FILE -o app.component.wasm
Spliced that way, the module is not rewritten, so the adapter cannot hide its memory from the
program: programs that size their heap from memory.size (Go, greedy allocators) need
`wasi-upgrade upgrade`. Everything else (exit codes, sockets, poll_oneoff, descriptor limits,
fd_readdir) behaves as after a full upgrade.

Examples:
    wasi-upgrade adapter --world command -o wasi_snapshot_preview1.command.wasm
    wasi-upgrade adapter --world reactor --wasi-version 0.2.0 -o adapter.wasm";

const SERVE_NOTES: &str = "\
Each request gets a fresh instance of the handler. The host provides exactly the
wasi:http/proxy world; the handler's stdout and stderr go to this process's; outgoing
requests are refused (HTTP-request-denied). A file that is already a component is served as
it is. Stop the server with Ctrl-C.

Examples:
    wasi-upgrade serve handler.wasm
    wasi-upgrade serve handler.wasm --addr 0.0.0.0:8000";
const RUN_NOTES: &str = "\
The program gets this process's stdin, stdout and stderr, the arguments after `--` (its own
name, as given, comes first), only the variables passed with --env, and only the directories
passed with --dir. A file that is already a component is run as it is.

A server (a module that imports sock_accept) gets its listening sockets with --tcplisten; the
adapter binds them through wasi:sockets before the program starts. On other WASI 0.2 hosts, set
WASI_UPGRADE_TCPLISTEN=IP:PORT[,IP:PORT...] in the program's environment and grant it network
access. The program cannot connect anywhere or bind other addresses.

Examples:
    wasi-upgrade run app.wasm
    wasi-upgrade run server.wasm --tcplisten 127.0.0.1:8080
    wasi-upgrade run app.wasm --dir . --dir /tmp/out::/out --env HOME=/ -- -n 3 file.txt";

#[derive(Args)]
struct UpgradeArgs {
    /// The WASI preview1 module: a .wasm file, or WebAssembly text
    input: PathBuf,
    /// Where to write the component; `-` writes it to stdout
    ///
    /// The component goes to a temporary file in the same directory, which is then renamed
    /// into place, so FILE is never left half-written. There is no default, so that nothing
    /// is ever written where you did not ask.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// The kind of component to make [default: command if the module exports `_start`,
    /// reactor otherwise]
    #[arg(long, value_enum)]
    world: Option<WorldArg>,
    /// The WASI 0.2 release the component imports, 0.2.0 to 0.2.12; below 0.2.12 exit codes
    /// other than 0 become 1 [default: 0.2.12]
    #[arg(long, value_name = "VERSION")]
    wasi_version: Option<WasiVersion>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum WorldArg {
    /// A program: the component exports `wasi:cli/run`, which calls `_start`
    Command,
    /// A library: the module's exports become the component's exports
    Reactor,
    /// An HTTP handler: imports only what wasi:http/proxy provides
    Proxy,
}

impl From<WorldArg> for World {
    fn from(world: WorldArg) -> World {
        match world {
            WorldArg::Command => World::Command,
            WorldArg::Reactor => World::Reactor,
            WorldArg::Proxy => World::Proxy,
        }
    }
}

#[derive(Args)]
struct RunArgs {
    /// The WASI preview1 program (a .wasm file, or WebAssembly text)
    input: PathBuf,
    /// Let the program use a host directory, under the name GUEST (default: HOST as given)
    #[arg(long = "dir", value_name = "HOST[::GUEST]", value_parser = parse_preopen)]
    dirs: Vec<Preopen>,
    /// Set an environment variable for the program
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_variable)]
    env: Vec<(String, String)>,
    /// Serve on IP:PORT: the program finds a listening TCP socket at fd 3 (the next fd for each
    /// further --tcplisten, then the --dir directories), as preview1 servers expect
    #[arg(long = "tcplisten", value_name = "IP:PORT")]
    tcp_listen: Vec<SocketAddr>,
    /// The WASI 0.2 release the component imports [default: 0.2.12]
    #[arg(long, value_name = "VERSION")]
    wasi_version: Option<WasiVersion>,
    /// Arguments for the program
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<String>,
}

#[derive(Args)]
struct ServeArgs {
    /// The HTTP handler: a WASI preview1 module (a .wasm file, or WebAssembly text) that
    /// implements wasi:http/incoming-handler, or a wasi:http/proxy component
    input: PathBuf,
    /// The address to listen on; port 0 picks a free port
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// The WASI 0.2 release the component imports [default: 0.2.12]
    #[arg(long, value_name = "VERSION")]
    wasi_version: Option<WasiVersion>,
}

#[derive(Args)]
pub(crate) struct InspectArgs {
    /// The WASI preview1 module (a .wasm file, or WebAssembly text)
    pub(crate) input: PathBuf,
    /// Inspect as this kind of component [default: as `upgrade` would choose]
    #[arg(long, value_enum)]
    pub(crate) world: Option<WorldArg>,
    /// The WASI 0.2 release the component would import [default: 0.2.12]
    #[arg(long, value_name = "VERSION")]
    pub(crate) wasi_version: Option<WasiVersion>,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Args)]
struct AdapterArgs {
    /// The kind of component the adapter makes
    #[arg(long, value_enum)]
    world: WorldArg,
    /// The WASI 0.2 release the adapter imports [default: 0.2.12]
    #[arg(long, value_name = "VERSION")]
    wasi_version: Option<WasiVersion>,
    /// Where to write the adapter module; `-` writes it to stdout
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

fn parse_preopen(text: &str) -> Result<Preopen, String> {
    let (host, guest) = text.split_once("::").unwrap_or((text, text));
    if host.is_empty() || guest.is_empty() {
        return Err("expected HOST or HOST::GUEST, both non-empty".into());
    }
    Ok(Preopen {
        host: host.into(),
        guest: guest.into(),
    })
}

fn parse_variable(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.into(), value.into())),
        _ => Err("expected NAME=VALUE".into()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(with_default_command(std::env::args_os().collect()));
    let result = match cli.command {
        Command::Upgrade(args) => upgrade(&args),
        Command::Run(args) => run(&args),
        Command::Serve(args) => serve(&args),
        Command::Inspect(args) => inspection_report::inspect(&args),
        Command::Adapter(args) => adapter(&args),
    };
    match result {
        Ok(status) => status,
        Err(message) => {
            report(&message);
            ExitCode::FAILURE
        }
    }
}

/// `wasi-upgrade IN -o OUT` means `wasi-upgrade upgrade IN -o OUT`: a first
/// argument that names no subcommand and asks for no top-level help gets
/// `upgrade` put in front of it. (A module file named `run` is `./run`.)
fn with_default_command(mut args: Vec<OsString>) -> Vec<OsString> {
    const TOP_LEVEL: [&str; 10] = [
        "upgrade",
        "run",
        "serve",
        "inspect",
        "adapter",
        "help",
        "-h",
        "--help",
        "-V",
        "--version",
    ];
    if let Some(first) = args.get(1)
        && !TOP_LEVEL.iter().any(|word| first == *word)
    {
        args.insert(1, "upgrade".into());
    }
    args
}

fn upgrade(args: &UpgradeArgs) -> Result<ExitCode, String> {
    refuse_binary_to_terminal(&args.output, "a binary component")?;
    let module = read(&args.input)?;
    let options = options(args.world, args.wasi_version);
    let component = wasi_upgrade::upgrade(&module, &options).map_err(|e| one_line(&e))?;
    write_output(&args.output, &component)?;
    Ok(ExitCode::SUCCESS)
}

fn adapter(args: &AdapterArgs) -> Result<ExitCode, String> {
    refuse_binary_to_terminal(&args.output, "a binary adapter module")?;
    let bytes =
        wasi_upgrade::drop_in_adapter(args.world.into(), args.wasi_version.unwrap_or_default())
            .map_err(|e| one_line(&e))?;
    write_output(&args.output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn options(world: Option<WorldArg>, version: Option<WasiVersion>) -> Options {
    let mut options = Options::default();
    if let Some(world) = world {
        options = options.world(world.into());
    }
    if let Some(version) = version {
        options = options.wasi_version(version);
    }
    options
}

/// `-o -` on a terminal would fill it with binary noise.
fn refuse_binary_to_terminal(output: &Path, what: &str) -> Result<(), String> {
    if output == Path::new("-") && std::io::stdout().is_terminal() {
        return Err(format!(
            "refusing to write {what} to a terminal: redirect stdout, or write to a file with -o FILE"
        ));
    }
    Ok(())
}

/// Writes `bytes` to `output`, or to stdout for `-`.
fn write_output(output: &Path, bytes: &[u8]) -> Result<(), String> {
    if output == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes).and_then(|()| stdout.flush())
    } else {
        write_whole(output, bytes)
    }
    .map_err(|e| format!("cannot write `{}`: {e}", output.display()))
}

fn run(args: &RunArgs) -> Result<ExitCode, String> {
    let input = read(&args.input)?;
    let component =
        as_component(input, World::Command, args.wasi_version).map_err(|e| match e {
            Error::NoStartExport => format!(
                "`{}` exports no `_start`: it is a library (reactor) or an HTTP handler (proxy), \
                 so there is nothing to run; upgrade a library with `wasi-upgrade {0} -o OUT` \
                 and call its exports from a host, or serve a handler with \
                 `wasi-upgrade serve {0}`",
                args.input.display()
            ),
            other => one_line(&other),
        })?;

    let mut program_args = vec![args.input.to_string_lossy().into_owned()];
    program_args.extend(args.args.iter().cloned());
    let invocation = Invocation {
        args: program_args,
        env: args.env.clone(),
        preopens: args.dirs.clone(),
        tcp_listen: args.tcp_listen.clone(),
    };
    for address in &args.tcp_listen {
        // The adapter cannot print why a bind failed (it only exits), so the
        // common failures are caught here, where they can be explained.
        std::net::TcpListener::bind(address)
            .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    }
    let outcome = wasi_upgrade::run::run(&component, &invocation)
        .map_err(|e| format!("cannot run `{}`: {}", args.input.display(), one_line(&e)))?;
    match outcome {
        Outcome::Exited(code) => {
            // `exit` skips destructors, so the program's last output is flushed here.
            let _ = std::io::stdout().flush();
            std::process::exit(code)
        }
        Outcome::Trapped(trap) => {
            report(&format!("the program trapped: {trap}"));
            Ok(ExitCode::from(TRAP_STATUS))
        }
    }
}

fn serve(args: &ServeArgs) -> Result<ExitCode, String> {
    let input = read(&args.input)?;
    let component =
        as_component(input, World::Proxy, args.wasi_version).map_err(|e| one_line(&e))?;
    let server = Server::bind(&component, args.addr)
        .map_err(|e| format!("cannot serve `{}`: {}", args.input.display(), one_line(&e)))?;
    // The same line `wasmtime serve` prints, so scripts can wait for it.
    eprintln!("Serving HTTP on http://{}/", server.local_addr());
    server.run().map_err(|e| {
        format!(
            "serving `{}` stopped: {}",
            args.input.display(),
            one_line(&e)
        )
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `input` as a component: as it is if it is one already, otherwise
/// upgraded into `world`, importing `version`.
fn as_component(
    input: Vec<u8>,
    world: World,
    version: Option<WasiVersion>,
) -> Result<Vec<u8>, Error> {
    if wasmparser::Parser::is_component(&input) {
        return Ok(input);
    }
    let mut options = Options::default().world(world);
    if let Some(version) = version {
        options = options.wasi_version(version);
    }
    wasi_upgrade::upgrade(&input, &options)
}

/// `wasmtime run` ends a trapped program as if it had aborted.
#[cfg(unix)]
const TRAP_STATUS: u8 = 128 + 6; // killed by SIGABRT
#[cfg(not(unix))]
const TRAP_STATUS: u8 = 3; // what `abort()` exits with on Windows

pub(crate) fn report(message: &str) {
    eprintln!("wasi-upgrade: error: {message}");
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

/// Writes `bytes` to a temporary file beside `path` and renames it over
/// `path`, so `path` holds either its old content or all of the new.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".wasi-upgrade-").suffix(".tmp");
    // A temporary file is private by default; the output should get the
    // permissions any newly created file gets (subject to the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(directory)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path)?;
    Ok(())
}
