//! Running cases and comparing a host's outcome with the oracle's.

use std::fmt;

use anyhow::Context;

use crate::cache::Memo;
use crate::case::Case;
use crate::host_gap::HostGap;
use crate::hosts::{Host, NativePreview1};
use crate::outcome::{Exit, Outcome};
use crate::program::Program;
use crate::sandbox::Sandbox;

/// Runs `case` on `host` in a fresh sandbox and captures everything observable.
pub fn run(host: &dyn Host, case: &Case) -> anyhow::Result<Outcome> {
    let program = Program::named(case.program);
    let sandbox = Sandbox::create(case)?;
    let completion = host
        .run(program, case, &sandbox)
        .with_context(|| format!("{} could not run {}", host.name(), program.name()))?;
    let preopens = sandbox
        .snapshot()
        .context("inspecting the preopened directories after the run")?;
    Ok(Outcome {
        stdout: completion.stdout,
        stderr: completion.stderr,
        exit: completion.exit,
        preopens,
    })
}

/// The oracle's outcome for the case registered as `name`, computed once per
/// process however many tests (one per host) ask for it.
fn native_outcome(name: &str, case: &Case) -> Result<Outcome, String> {
    static OUTCOMES: Memo<Result<Outcome, String>> = Memo::new();
    OUTCOMES.get(name, || {
        run(&NativePreview1, case).map_err(|e| format!("{e:?}"))
    })
}

/// Whether `outcome` shows what `case` promises (its exit and the text its
/// output must contain).
pub fn check_expectations(case: &Case, outcome: &Outcome) -> Result<(), String> {
    let mut problems = Vec::new();
    if !case.expected_exit.matches(&outcome.exit) {
        problems.push(format!(
            "expected {:?}, but the program {}",
            case.expected_exit, outcome.exit
        ));
    }
    for (stream, bytes, wanted) in [
        ("stdout", &outcome.stdout, &case.expected_stdout),
        ("stderr", &outcome.stderr, &case.expected_stderr),
    ] {
        let text = String::from_utf8_lossy(bytes);
        for needle in wanted
            .iter()
            .filter(|needle| !text.contains(needle.as_str()))
        {
            problems.push(format!(
                "{stream} lacks {needle:?}; it begins with {:?}",
                excerpt(&text)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(600).collect()
}

/// How two outcomes of the same case differ; `Display` is the report.
pub struct Mismatch {
    report: String,
}

impl Mismatch {
    pub fn report(&self) -> &str {
        &self.report
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

impl fmt::Debug for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report)
    }
}

/// Compares every observable part of two outcomes of `case`: exit, stdout,
/// stderr and the contents of each preopen.
pub fn compare(
    case: &Case,
    expected: (&str, &Outcome),
    actual: (&str, &Outcome),
) -> Result<(), Mismatch> {
    let (label_a, a) = expected;
    let (label_b, b) = actual;
    let mut sections = Vec::new();
    if !a.exit.same_as(&b.exit) {
        sections.push(format!(
            "exit differs:\n  {label_a}: {}\n  {label_b}: {}",
            a.exit, b.exit
        ));
    }
    for (stream, x, y) in [
        ("stdout", &a.stdout, &b.stdout),
        ("stderr", &a.stderr, &b.stderr),
    ] {
        if let Some(diff) = crate::diff::bytes(x, label_a, y, label_b) {
            sections.push(format!("{stream} differs: {diff}"));
        }
    }
    if a.preopens.len() != b.preopens.len() {
        sections.push(format!(
            "{label_a} has {} preopens, {label_b} has {}",
            a.preopens.len(),
            b.preopens.len()
        ));
    }
    for ((guest, x), (_, y)) in a.preopens.iter().zip(&b.preopens) {
        let lines = x.differences(label_a, y, label_b);
        if !lines.is_empty() {
            sections.push(format!(
                "preopen {guest} differs afterwards:\n  {}",
                lines.join("\n  ")
            ));
        }
    }
    if sections.is_empty() {
        return Ok(());
    }
    Err(Mismatch {
        report: format!(
            "{label_b} differs from {label_a} running {} with {} arg(s), {} env var(s), {} preopen(s), {} stdin bytes:\n{}",
            case.program,
            case.args.len(),
            case.env.len(),
            case.preopens.len(),
            case.stdin.len(),
            sections.join("\n")
        ),
    })
}

/// The oracle run of the case registered as `name` meets the case's expectations.
pub fn assert_oracle(name: &str, case: &Case) {
    let outcome = native_outcome(name, case)
        .unwrap_or_else(|e| panic!("the native run failed to start:\n{e}"));
    if let Err(problems) = check_expectations(case, &outcome) {
        panic!(
            "native run of `{name}` does not meet the case's expectations:\n{problems}\nstderr: {}",
            String::from_utf8_lossy(&outcome.stderr)
        );
    }
}

/// `host`'s outcome for the case registered as `name` equals the oracle's,
/// or, where the case pins a gap of that host, exactly the oracle's with the
/// gap's replacements.
pub fn assert_same_as_oracle(host: &dyn Host, name: &str, case: &Case) {
    let oracle = native_outcome(name, case)
        .unwrap_or_else(|e| panic!("the native run failed to start:\n{e}"));
    // Two equally broken runs compare equal, so the oracle must be sound first.
    if let Err(problems) = check_expectations(case, &oracle) {
        panic!(
            "the oracle run of `{name}` fails the case's expectations, so comparing with it proves nothing:\n{problems}"
        );
    }
    let mut label = NativePreview1.name().to_owned();
    let mut expected = oracle;
    if let Some((code, reason)) = case.upgraded_exit {
        label = format!("{label} (with exit {code}: {reason})");
        expected.exit = Exit::Code(code);
    }
    if let Some((function, reason)) = case.upgraded_trap {
        label = format!("{label} (with a trap in `{function}`: {reason})");
        // A report whose backtrace names the adapter's trap function.
        expected.exit = Exit::Trapped {
            kind: Some(wasmtime::Trap::UnreachableCodeReached),
            message: format!("expected trap\n    0: !{function}"),
        };
    }
    if !case.upgraded_stdout.is_empty() {
        let mut deliberate =
            HostGap::new(host.name(), "the adapter differs from native on purpose");
        for (oracle, upgraded) in &case.upgraded_stdout {
            deliberate = deliberate.stdout(oracle.clone(), upgraded.clone());
        }
        expected = deliberate
            .applied_to(&expected)
            .unwrap_or_else(|e| panic!("the deliberate difference does not fit `{name}`: {e}"));
        label = format!("{label}, with the adapter's deliberate differences");
    }
    let outcome = run(host, case).unwrap_or_else(|e| panic!("{e:?}"));
    if let Some((function, _)) = case.upgraded_trap {
        match &outcome.exit {
            Exit::Trapped { message, .. } if message.contains(function) => {}
            other => panic!(
                "{} must trap in `{function}` on `{name}`, but {other}",
                host.name()
            ),
        }
    }
    let compared = compare(case, (&label, &expected), (host.name(), &outcome));
    match (case.gap_on(host.name()), compared) {
        (None, Err(mismatch)) => panic!("{mismatch}"),
        (None, Ok(())) => {}
        (Some(gap), Ok(())) => panic!(
            "{} now behaves exactly like the oracle on `{name}`: the gap \"{}\" is closed. \
             Remove it from the case, and its row from tests/README.md.",
            host.name(),
            gap.reason
        ),
        (Some(gap), Err(_)) => {
            let pinned = gap.applied_to(&expected).unwrap_or_else(|e| {
                panic!("the gap \"{}\" does not fit `{name}`: {e}", gap.reason)
            });
            let label = format!("{label}, with the {} gap", host.name());
            if let Err(mismatch) = compare(case, (&label, &pinned), (host.name(), &outcome)) {
                panic!(
                    "{} differs from the oracle on `{name}` in more than the gap \"{}\":\n{mismatch}",
                    host.name(),
                    gap.reason
                );
            }
        }
    }
}
