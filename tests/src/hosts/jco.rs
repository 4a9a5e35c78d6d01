//! The module upgraded by `wasi-upgrade`, transpiled by jco and run as a
//! component on Node.js with `@bytecodealliance/preview2-shim`.
//!
//! The npm packages are pinned by `tests/jco/package-lock.json` and installed
//! by `ci/setup.sh` (`npm ci`). Each component is transpiled once
//! (`jco/transpile.mjs`) into a directory named by a content hash, kept
//! between test runs; each run is one Node process (`jco/run.mjs`) whose
//! stdin, stdout and stderr are the program's. A library is instead called
//! export by export in one Node process (`jco/call.mjs`,
//! [`Jco::call_exports`]).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Completion, Host};
use crate::cache::Memo;
use crate::case::Case;
use crate::engine::RUN_TIMEOUT;
use crate::outcome::Exit;
use crate::program::Program;
use crate::sandbox::Sandbox;

/// Upgrades the module with `wasi_upgrade::upgrade`, transpiles it with
/// `jco transpile` and calls `wasi:cli/run` under Node.js.
pub struct Jco;

impl Jco {
    pub const NAME: &'static str = "jco";

    /// Instantiates the library `component` (named `name` in errors) once
    /// under Node.js, with the environment `env` and no arguments, and calls
    /// its exports in order (`calls`: each export's WIT name and its numeric
    /// arguments). Returns what each call returned: numbers as JSON numbers,
    /// 64-bit integers as decimal strings. A call that throws is an error
    /// naming it.
    pub fn call_exports(
        name: &str,
        component: &[u8],
        env: &[(&str, &str)],
        calls: &[(&str, Vec<Value>)],
    ) -> anyhow::Result<Vec<Value>> {
        let transpiled = transpile_component(name, component)?;
        let scratch = tempfile::Builder::new()
            .prefix("wasi-upgrade-jco-call-")
            .tempdir()
            .context("creating a directory for the calls' files")?;
        let file = |name: &str| scratch.path().join(name);
        let spec = json!({
            "component": transpiled,
            "env": env,
            "calls": calls,
            "report": file("report.json"),
        });
        std::fs::write(file("spec.json"), spec.to_string()).context("writing spec.json")?;
        let mut command = node();
        command
            .arg(Path::new(LANE_DIR).join("call.mjs"))
            .arg(file("spec.json"))
            .stdin(std::process::Stdio::null())
            .stdout(File::create(file("stdout"))?)
            .stderr(File::create(file("stderr"))?);
        let status = wait_with_timeout(command)?;
        let output = |stream| {
            String::from_utf8_lossy(&std::fs::read(file(stream)).unwrap_or_default()).into_owned()
        };
        let Ok(report) = std::fs::read_to_string(file("report.json")) else {
            bail!(
                "node died without reporting the calls' results ({status}); stderr:\n{}",
                output("stderr")
            );
        };
        let report: Value = serde_json::from_str(&report).context("parsing call.mjs's report")?;
        if let Some(results) = report["results"].as_array() {
            return Ok(results.clone());
        }
        let thrown = &report["thrown"];
        bail!(
            "calling {} on jco threw {}: {}\n{}\nstdout:\n{}\nstderr:\n{}",
            thrown["call"],
            thrown["name"].as_str().unwrap_or("?"),
            thrown["message"].as_str().unwrap_or("?"),
            thrown["stack"].as_str().unwrap_or(""),
            output("stdout"),
            output("stderr"),
        )
    }
}

/// Splices the drop-in command adapter into the module unchanged with
/// `tool` (no memory rewrite), then transpiles and runs it as [`Jco`] does.
pub struct JcoDropIn {
    pub tool: super::SpliceTool,
}

/// The npm project holding jco, the shim and the two scripts.
const LANE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/jco");
/// How often a running Node process is checked for completion.
const POLL_INTERVAL: Duration = Duration::from_millis(5);

impl Host for Jco {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        run_transpiled(transpiled(self.name(), program, upgrade)?, case, sandbox)
    }
}

impl Host for JcoDropIn {
    fn name(&self) -> &'static str {
        match self.tool {
            super::SpliceTool::WasmTools => "drop-in-wasm-tools-jco",
            super::SpliceTool::JcoNew => "drop-in-jco-new-jco",
        }
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        let splice = match self.tool {
            super::SpliceTool::WasmTools => super::splice_with_wasm_tools,
            super::SpliceTool::JcoNew => super::splice_with_jco_new,
        };
        run_transpiled(transpiled(self.name(), program, splice)?, case, sandbox)
    }
}

fn upgrade(module: &[u8]) -> Result<Vec<u8>, String> {
    wasi_upgrade::upgrade(module, &wasi_upgrade::Options::default()).map_err(|e| e.to_string())
}

/// Runs the component transpiled into `component` with the case's inputs.
fn run_transpiled(
    component: PathBuf,
    case: &Case,
    sandbox: &Sandbox,
) -> anyhow::Result<Completion> {
    let scratch = tempfile::Builder::new()
        .prefix("wasi-upgrade-jco-run-")
        .tempdir()
        .context("creating a directory for the run's files")?;
    let file = |name: &str| scratch.path().join(name);
    let spec = json!({
        "component": component,
        "args": case.args,
        "env": case.env,
        "preopens": sandbox.preopens().collect::<Vec<_>>(),
        "report": file("report.json"),
    });
    std::fs::write(file("spec.json"), spec.to_string()).context("writing spec.json")?;
    std::fs::write(file("stdin"), &case.stdin).context("writing the stdin file")?;

    // Files, not pipes: Node writes to files synchronously, so nothing
    // the program wrote is lost when the shim calls `process.exit`.
    let mut command = node();
    command
        .arg(Path::new(LANE_DIR).join("run.mjs"))
        .arg(file("spec.json"))
        .stdin(File::open(file("stdin"))?)
        .stdout(File::create(file("stdout"))?)
        .stderr(File::create(file("stderr"))?);
    let status = wait_with_timeout(command)?;

    let stdout = std::fs::read(file("stdout")).context("reading the captured stdout")?;
    let stderr = std::fs::read(file("stderr")).context("reading the captured stderr")?;
    let exit = match std::fs::read_to_string(file("report.json")) {
        Ok(report) => exit_from_report(&report)?,
        Err(_) => bail!(
            "node died without reporting how the run ended ({status}); stderr:\n{}",
            String::from_utf8_lossy(&stderr)
        ),
    };
    Ok(Completion {
        stdout,
        stderr,
        exit,
    })
}

/// `node`, with nothing inherited from the test process's environment
/// (`NODE_OPTIONS` and the like would change how runs behave).
fn node() -> Command {
    let mut command = Command::new("node");
    command.env_clear().current_dir(LANE_DIR);
    command
}

/// Runs `command`, killing it after [`RUN_TIMEOUT`].
fn wait_with_timeout(mut command: Command) -> anyhow::Result<ExitStatus> {
    let mut child = command.spawn().map_err(|e| {
        anyhow::anyhow!("cannot start `node` (the jco host needs Node.js 20 or newer on PATH): {e}")
    })?;
    let deadline = Instant::now() + RUN_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().context("waiting for node")? {
            return Ok(status);
        }
        if Instant::now() > deadline {
            child.kill().context("killing node after the timeout")?;
            child.wait().context("waiting for the killed node")?;
            bail!("the run did not finish within {RUN_TIMEOUT:?}");
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

/// The directory holding `program`'s component, made by `make_component`
/// and transpiled, produced at most once per process and host and reused
/// across processes while its inputs (the component, the pinned npm
/// packages and the script) are unchanged.
fn transpiled(
    host: &str,
    program: Program,
    make_component: fn(&[u8]) -> Result<Vec<u8>, String>,
) -> anyhow::Result<PathBuf> {
    static TRANSPILED: Memo<Result<PathBuf, String>> = Memo::new();
    TRANSPILED.try_get(&format!("{host}:{}", program.name()), || {
        transpile(program, make_component)
    })
}

fn ensure_installed() -> anyhow::Result<()> {
    if !Path::new(LANE_DIR)
        .join("node_modules/@bytecodealliance/jco")
        .is_dir()
    {
        bail!("jco is not installed in {LANE_DIR}: run `npm ci` there (ci/setup.sh does)");
    }
    Ok(())
}

/// `jco new MODULE --adapt wasi_snapshot_preview1=ADAPTER`, as a toolchain
/// that bundles the drop-in adapter file would run it.
pub(super) fn new_component(module: &[u8], adapter: &[u8]) -> anyhow::Result<Vec<u8>> {
    ensure_installed()?;
    let work = tempfile::Builder::new()
        .prefix("wasi-upgrade-jco-new-")
        .tempdir()
        .context("creating a directory for jco new")?;
    let (input, adapter_file, output) = (
        work.path().join("module.wasm"),
        work.path().join("adapter.wasm"),
        work.path().join("component.wasm"),
    );
    std::fs::write(&input, module).context("writing the module")?;
    std::fs::write(&adapter_file, adapter).context("writing the adapter")?;
    let mut adapt = std::ffi::OsString::from("wasi_snapshot_preview1=");
    adapt.push(&adapter_file);
    let result = node()
        .arg("node_modules/@bytecodealliance/jco/dist/jco.js")
        .arg("new")
        .arg(&input)
        .arg("--adapt")
        .arg(adapt)
        .arg("-o")
        .arg(&output)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot start `node` to run jco new: {e}"))?;
    if !result.status.success() {
        bail!(
            "jco new failed ({}):\n{}",
            result.status,
            String::from_utf8_lossy(&result.stderr)
        );
    }
    std::fs::read(&output).context("reading the component jco new wrote")
}

fn transpile(
    program: Program,
    make_component: fn(&[u8]) -> Result<Vec<u8>, String>,
) -> anyhow::Result<PathBuf> {
    let component = make_component(&program.bytes())
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("making a component of {}", program.name()))?;
    transpile_component(program.name(), &component)
}

/// The directory `component` (made of the program `name`) is transpiled
/// into, in the cache named by its content hash.
fn transpile_component(name: &str, component: &[u8]) -> anyhow::Result<PathBuf> {
    ensure_installed()?;
    let lane = Path::new(LANE_DIR);
    let script = lane.join("transpile.mjs");
    let lockfile =
        std::fs::read(lane.join("package-lock.json")).context("reading package-lock.json")?;
    let script_text = std::fs::read(&script).context("reading transpile.mjs")?;
    let mut key = Sha256::new();
    for input in [component, &lockfile, &script_text] {
        key.update((input.len() as u64).to_le_bytes());
        key.update(input);
    }
    let hex: String = key.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let cache = cache_dir();
    let done = cache.join(&hex);
    if done.is_dir() {
        return Ok(done);
    }

    // Transpile beside the final directory and rename it into place, so a
    // concurrent test process never sees half an entry.
    std::fs::create_dir_all(&cache)
        .with_context(|| format!("creating the cache directory {}", cache.display()))?;
    let work = tempfile::Builder::new()
        .prefix(&format!("{hex}.partial-"))
        .tempdir_in(&cache)
        .context("creating a directory to transpile into")?;
    let input = work.path().join("component.wasm");
    std::fs::write(&input, component).context("writing the upgraded component")?;
    let out = work.path().join("out");
    let output = node()
        .arg(&script)
        .arg(&input)
        .arg(&out)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot start `node` to run jco: {e}"))?;
    if !output.status.success() {
        bail!(
            "jco transpile failed on the upgraded {name} ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if std::fs::rename(&out, &done).is_err() && !done.is_dir() {
        bail!("cannot move the transpiled {name} to {}", done.display());
    }
    Ok(done)
}

/// `$WASI_UPGRADE_CACHE/jco` (what `ci/setup.sh` exports), else the build's
/// own output directory.
fn cache_dir() -> PathBuf {
    match std::env::var_os("WASI_UPGRADE_CACHE") {
        Some(dir) => PathBuf::from(dir).join("jco"),
        None => PathBuf::from(env!("OUT_DIR")).join("jco"),
    }
}

/// How `run.mjs` says the run ended: an exit code, or what was thrown.
fn exit_from_report(report: &str) -> anyhow::Result<Exit> {
    let report: Value = serde_json::from_str(report).context("parsing run.mjs's report")?;
    if let Some(code) = report["exit"].as_i64() {
        return Ok(Exit::Code(code as i32));
    }
    let trap = &report["trap"];
    let (Some(name), Some(message)) = (trap["name"].as_str(), trap["message"].as_str()) else {
        bail!("run.mjs reported neither an exit nor a trap: {report}");
    };
    Ok(Exit::Trapped {
        kind: trap_kind(name, message),
        message: format!(
            "{name}: {message}\n{}",
            trap["stack"].as_str().unwrap_or("")
        ),
    })
}

/// The Wasmtime trap a thrown error stands for. jco rewrites V8's trap
/// messages into Wasmtime's own (`RuntimeError: wasm trap: integer divide by
/// zero`), so traps compare with the oracle's by kind.
fn trap_kind(name: &str, message: &str) -> Option<wasmtime::Trap> {
    if name != "RuntimeError" {
        return None;
    }
    (0..=u8::MAX)
        .filter_map(wasmtime::Trap::from_u8)
        .find(|trap| trap.to_string() == message)
}
