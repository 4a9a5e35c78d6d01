//! The module upgraded by `wasi-upgrade`, transpiled by jco and run as a
//! component on Node.js with `@bytecodealliance/preview2-shim`.
//!
//! The npm packages are pinned by `tests/jco/package-lock.json` and installed
//! by `ci/setup.sh` (`npm ci`). Each component is transpiled once
//! (`jco/transpile.mjs`) into a directory named by a content hash, kept
//! between test runs; each run is one Node process (`jco/run.mjs`) whose
//! stdin, stdout and stderr are the program's.

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
        let component = transpiled(program)?;
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

/// The directory holding `program`'s transpiled component, produced at most
/// once per process and reused across processes while its inputs (the
/// component, the pinned npm packages and the script) are unchanged.
fn transpiled(program: Program) -> anyhow::Result<PathBuf> {
    static TRANSPILED: Memo<Result<PathBuf, String>> = Memo::new();
    TRANSPILED
        .get(program.name(), || {
            transpile(program).map_err(|e| format!("{e:?}"))
        })
        .map_err(anyhow::Error::msg)
}

fn transpile(program: Program) -> anyhow::Result<PathBuf> {
    let lane = Path::new(LANE_DIR);
    if !lane.join("node_modules/@bytecodealliance/jco").is_dir() {
        bail!("jco is not installed in {LANE_DIR}: run `npm ci` there (ci/setup.sh does)");
    }
    let component = wasi_upgrade::upgrade(&program.bytes(), &wasi_upgrade::Options::default())
        .with_context(|| format!("wasi-upgrade failed on {}", program.name()))?;
    let script = lane.join("transpile.mjs");
    let lockfile =
        std::fs::read(lane.join("package-lock.json")).context("reading package-lock.json")?;
    let script_text = std::fs::read(&script).context("reading transpile.mjs")?;
    let mut key = Sha256::new();
    for input in [&component, &lockfile, &script_text] {
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
    std::fs::write(&input, &component).context("writing the upgraded component")?;
    let out = work.path().join("out");
    let output = node()
        .arg(&script)
        .arg(&input)
        .arg(&out)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot start `node` to run jco: {e}"))?;
    if !output.status.success() {
        bail!(
            "jco transpile failed on the upgraded {} ({}):\n{}",
            program.name(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if std::fs::rename(&out, &done).is_err() && !done.is_dir() {
        bail!(
            "cannot move the transpiled {} to {}",
            program.name(),
            done.display()
        );
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
