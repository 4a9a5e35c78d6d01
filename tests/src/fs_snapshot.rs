//! Recursive listings of directories with file contents, to compare what two
//! runs left behind.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

/// What sits at one path inside a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(Vec<u8>),
    Dir,
    Symlink(String),
    /// Sockets, fifos and the like: only their presence is compared.
    Other,
}

/// Every entry below a directory, by `/`-separated path relative to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirSnapshot {
    entries: BTreeMap<String, Node>,
}

impl DirSnapshot {
    pub fn capture(root: &Path) -> anyhow::Result<DirSnapshot> {
        let mut snapshot = DirSnapshot::default();
        snapshot.add_children(root, "")?;
        Ok(snapshot)
    }

    fn add_children(&mut self, dir: &Path, prefix: &str) -> anyhow::Result<()> {
        let listing =
            std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
        for entry in listing {
            let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
            let path = entry.path();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let kind = entry
                .file_type()
                .with_context(|| format!("inspecting {}", path.display()))?;
            if kind.is_dir() {
                self.entries.insert(name.clone(), Node::Dir);
                self.add_children(&path, &format!("{name}/"))?;
            } else if kind.is_file() {
                let bytes =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                self.entries.insert(name, Node::File(bytes));
            } else if kind.is_symlink() {
                let target = std::fs::read_link(&path)
                    .with_context(|| format!("reading link {}", path.display()))?;
                self.entries
                    .insert(name, Node::Symlink(target.to_string_lossy().into_owned()));
            } else {
                self.entries.insert(name, Node::Other);
            }
        }
        Ok(())
    }

    /// One line per path that differs between `self` (from `label`) and
    /// `other` (from `other_label`).
    pub fn differences(&self, label: &str, other: &DirSnapshot, other_label: &str) -> Vec<String> {
        let mut lines = Vec::new();
        let paths: std::collections::BTreeSet<&String> =
            self.entries.keys().chain(other.entries.keys()).collect();
        for path in paths {
            match (self.entries.get(path), other.entries.get(path)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => match (a, b) {
                    (Node::File(a), Node::File(b)) => {
                        let detail = crate::diff::bytes(a, label, b, other_label)
                            .unwrap_or_else(|| "contents differ".to_owned());
                        lines.push(format!("{path}: file contents differ\n{}", indent(&detail)));
                    }
                    _ => lines.push(format!(
                        "{path}: {label} has {}, {other_label} has {}",
                        describe(a),
                        describe(b)
                    )),
                },
                (Some(a), None) => {
                    lines.push(format!("{path}: only {label} has it ({})", describe(a)))
                }
                (None, Some(b)) => lines.push(format!(
                    "{path}: only {other_label} has it ({})",
                    describe(b)
                )),
                (None, None) => unreachable!("path comes from one of the two listings"),
            }
        }
        lines
    }
}

fn describe(node: &Node) -> String {
    match node {
        Node::File(bytes) => format!("a file of {} bytes", bytes.len()),
        Node::Dir => "a directory".to_owned(),
        Node::Symlink(target) => format!("a symlink to {target:?}"),
        Node::Other => "a special file".to_owned(),
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_added_removed_changed_and_retyped_entries() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        std::fs::write(a.path().join("same.txt"), "same").unwrap();
        std::fs::write(b.path().join("same.txt"), "same").unwrap();
        std::fs::write(a.path().join("changed.txt"), "one\ntwo\n").unwrap();
        std::fs::write(b.path().join("changed.txt"), "one\nTWO\n").unwrap();
        std::fs::create_dir_all(a.path().join("only_a/inner")).unwrap();
        std::fs::write(b.path().join("only_a"), "now a file").unwrap();
        std::fs::create_dir(b.path().join("only_b")).unwrap();

        let lines = DirSnapshot::capture(a.path()).unwrap().differences(
            "left",
            &DirSnapshot::capture(b.path()).unwrap(),
            "right",
        );
        let report = lines.join("\n");
        assert_eq!(lines.len(), 4, "{report}");
        assert!(
            report.contains("changed.txt: file contents differ"),
            "{report}"
        );
        assert!(
            report.contains("only_a: left has a directory, right has a file of 10 bytes"),
            "{report}"
        );
        assert!(
            report.contains("only_a/inner: only left has it (a directory)"),
            "{report}"
        );
        assert!(
            report.contains("only_b: only right has it (a directory)"),
            "{report}"
        );
        assert!(!report.contains("same.txt"), "{report}");
    }
}
