//! The list of built programs, handed to the test crate as Rust source.

use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Manifest {
    programs: Vec<(String, PathBuf)>,
}

impl Manifest {
    /// Records `wasm` under `name` (`<language>/<program>`).
    pub fn add(&mut self, name: String, wasm: PathBuf) {
        if !wasm.is_file() {
            super::fail(&format!(
                "program {name}: the toolchain produced no {}",
                wasm.display()
            ));
        }
        if self.programs.iter().any(|(existing, _)| *existing == name) {
            super::fail(&format!("two programs are named {name}"));
        }
        self.programs.push((name, wasm));
    }

    pub fn write(mut self, path: &Path) {
        self.programs.sort();
        let mut source =
            String::from("/// Every program of the corpus: (name, path of its `.wasm`).\n");
        source.push_str("pub(crate) const PROGRAMS: &[(&str, &str)] = &[\n");
        for (name, wasm) in &self.programs {
            source.push_str(&format!(
                "    ({name:?}, {:?}),\n",
                wasm.display().to_string()
            ));
        }
        source.push_str("];\n");
        std::fs::write(path, source)
            .unwrap_or_else(|e| super::fail(&format!("cannot write {}: {e}", path.display())));
    }
}
