//! What a test run gives a program, and what the oracle run must show.

use crate::host_gap::HostGap;
use crate::outcome::Exit;

/// One invocation of a program: its arguments, environment, directories and
/// stdin, plus expectations that the native run must meet (they prove the
/// program does what the case is about before any host is compared with it).
#[derive(Debug, Clone)]
pub struct Case {
    pub program: &'static str,
    /// The complete argv, program name included; may be empty.
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub preopens: Vec<Preopen>,
    pub stdin: Vec<u8>,
    pub expected_exit: Expected,
    pub expected_stdout: Vec<String>,
    pub expected_stderr: Vec<String>,
    /// Where the oracle's exit is known to be wrong: the exit every upgraded
    /// run must have instead, and why.
    pub upgraded_exit: Option<(i32, &'static str)>,
    /// Where the oracle traps at once but every upgraded run traps later, in
    /// the adapter: the adapter's function the trap's backtrace must name,
    /// and why.
    pub upgraded_trap: Option<(&'static str, &'static str)>,
    /// Where every upgraded run prints something other than the oracle on
    /// purpose: each oracle text and what the upgraded program prints instead.
    pub upgraded_stdout: Vec<(String, String)>,
    /// Where a host is known to differ from the oracle for a reason only that
    /// host can fix: what its run shows instead.
    pub host_gaps: Vec<HostGap>,
}

/// How the oracle run must end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Exit(i32),
    Trap,
}

impl Expected {
    pub fn matches(&self, exit: &Exit) -> bool {
        match (self, exit) {
            (Expected::Exit(want), Exit::Code(got)) => want == got,
            (Expected::Trap, Exit::Trapped { .. }) => true,
            _ => false,
        }
    }
}

/// A directory given to the program, with what it initially contains.
#[derive(Debug, Clone)]
pub struct Preopen {
    /// The name the program sees (`fd_prestat_dir_name`).
    pub guest_path: String,
    /// Files to create, by path relative to the directory (`/`-separated).
    pub files: Vec<(String, Vec<u8>)>,
    /// Directories to create (possibly empty), relative like `files`.
    pub dirs: Vec<String>,
    /// Symbolic links to create last, as (path, target); the target is stored
    /// verbatim, so it may dangle, loop or point outside the directory.
    pub symlinks: Vec<(String, String)>,
}

impl Preopen {
    pub fn new(guest_path: impl Into<String>) -> Self {
        Preopen {
            guest_path: guest_path.into(),
            files: Vec::new(),
            dirs: Vec::new(),
            symlinks: Vec::new(),
        }
    }

    pub fn file(mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        self.files.push((path.into(), contents.into()));
        self
    }

    pub fn dir(mut self, path: impl Into<String>) -> Self {
        self.dirs.push(path.into());
        self
    }

    pub fn symlink(mut self, path: impl Into<String>, target: impl Into<String>) -> Self {
        self.symlinks.push((path.into(), target.into()));
        self
    }
}

impl Case {
    /// `program` run with argv `[<program's name>]`, no environment, no
    /// directories, empty stdin, expected to exit with 0.
    pub fn new(program: &'static str) -> Self {
        let argv0 = program.rsplit('/').next().unwrap_or(program);
        Case {
            program,
            args: vec![format!("{argv0}.wasm")],
            env: Vec::new(),
            preopens: Vec::new(),
            stdin: Vec::new(),
            expected_exit: Expected::Exit(0),
            expected_stdout: Vec::new(),
            expected_stderr: Vec::new(),
            upgraded_exit: None,
            upgraded_trap: None,
            upgraded_stdout: Vec::new(),
            host_gaps: Vec::new(),
        }
    }

    /// Appends arguments after the ones already there.
    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Replaces the whole argv, argv[0] included; `[]` gives the program no arguments at all.
    pub fn argv<S: Into<String>>(mut self, argv: impl IntoIterator<Item = S>) -> Self {
        self.args = argv.into_iter().map(Into::into).collect();
        self
    }

    pub fn env<K: Into<String>, V: Into<String>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.env
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    pub fn preopen(mut self, preopen: Preopen) -> Self {
        self.preopens.push(preopen);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = bytes.into();
        self
    }

    pub fn expect_exit(mut self, code: i32) -> Self {
        self.expected_exit = Expected::Exit(code);
        self
    }

    pub fn expect_trap(mut self) -> Self {
        self.expected_exit = Expected::Trap;
        self
    }

    /// Upgraded runs must exit with `code` although the oracle does not, for
    /// the documented `reason`; everything else is still compared.
    pub fn upgraded_exit(mut self, code: i32, reason: &'static str) -> Self {
        self.upgraded_exit = Some((code, reason));
        self
    }

    /// Upgraded runs must trap on `unreachable` inside the adapter's
    /// `function` where the oracle traps otherwise, for the documented
    /// `reason`; everything else is still compared.
    pub fn upgraded_trap(mut self, function: &'static str, reason: &'static str) -> Self {
        self.upgraded_trap = Some((function, reason));
        self
    }

    /// Every upgraded run prints `upgraded` where the oracle prints `oracle`,
    /// because the adapter deliberately does better than native preview1
    /// (the README's table names each such difference). Combine with
    /// [`Case::upgraded_exit`], which carries the reason.
    pub fn upgraded_stdout(
        mut self,
        oracle: impl Into<String>,
        upgraded: impl Into<String>,
    ) -> Self {
        self.upgraded_stdout.push((oracle.into(), upgraded.into()));
        self
    }

    /// `gap.host` differs from the oracle as `gap` says; see [`HostGap`].
    pub fn host_gap(mut self, gap: HostGap) -> Self {
        self.host_gaps.push(gap);
        self
    }

    /// The gap pinned for the host called `host`, if any.
    pub fn gap_on(&self, host: &str) -> Option<&HostGap> {
        self.host_gaps.iter().find(|gap| gap.host == host)
    }

    /// The oracle's stdout must contain `text`.
    pub fn expect_stdout(mut self, text: impl Into<String>) -> Self {
        self.expected_stdout.push(text.into());
        self
    }

    /// The oracle's stderr must contain `text`.
    pub fn expect_stderr(mut self, text: impl Into<String>) -> Self {
        self.expected_stderr.push(text.into());
        self
    }
}
