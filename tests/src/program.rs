//! The test programs built by `build/` and found by name.

use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/programs.rs"));

/// A preview1 module of the corpus, named `<language>/<program>`
/// (e.g. `rust/hello`, `go/goroutines`, `wat/greedy_alloc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    name: &'static str,
    path: &'static str,
}

impl Program {
    /// The program called `name`; panics with the list of known names if there is none.
    pub fn named(name: &str) -> Program {
        Self::all().find(|p| p.name == name).unwrap_or_else(|| {
            let known: Vec<&str> = Self::all().map(|p| p.name).collect();
            panic!("no test program named {name:?}; the build produced: {known:?}")
        })
    }

    pub fn all() -> impl Iterator<Item = Program> {
        PROGRAMS.iter().map(|&(name, path)| Program { name, path })
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn path(&self) -> &'static Path {
        Path::new(self.path)
    }

    /// The module's bytes as the toolchain produced them.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.path).unwrap_or_else(|e| panic!("cannot read {}: {e}", self.path))
    }
}
