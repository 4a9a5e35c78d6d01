//! Fresh host directories for one run, filled with a case's initial files.

use std::path::Path;

use anyhow::Context;
use tempfile::TempDir;

use crate::case::Case;
use crate::fs_snapshot::DirSnapshot;

/// The preopened directories of one run, each a new temporary directory;
/// removed when dropped.
pub struct Sandbox {
    dirs: Vec<(String, TempDir)>,
}

impl Sandbox {
    pub fn create(case: &Case) -> anyhow::Result<Sandbox> {
        let mut dirs = Vec::new();
        for preopen in &case.preopens {
            let dir = tempfile::Builder::new()
                .prefix("wasi-upgrade-test-")
                .tempdir()
                .context("creating a temporary directory")?;
            for path in &preopen.dirs {
                std::fs::create_dir_all(dir.path().join(path))
                    .with_context(|| format!("creating {path} in {}", preopen.guest_path))?;
            }
            for (path, contents) in &preopen.files {
                let host_path = dir.path().join(path);
                if let Some(parent) = host_path.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("creating the parent of {path}"))?;
                }
                std::fs::write(&host_path, contents)
                    .with_context(|| format!("writing {path} in {}", preopen.guest_path))?;
            }
            for (path, target) in &preopen.symlinks {
                symlink(target, &dir.path().join(path)).with_context(|| {
                    format!("linking {path} to {target} in {}", preopen.guest_path)
                })?;
            }
            dirs.push((preopen.guest_path.clone(), dir));
        }
        Ok(Sandbox { dirs })
    }

    /// (guest path, host path) of each preopen, in the case's order.
    pub fn preopens(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.dirs
            .iter()
            .map(|(guest, dir)| (guest.as_str(), dir.path()))
    }

    pub fn snapshot(&self) -> anyhow::Result<Vec<(String, DirSnapshot)>> {
        self.dirs
            .iter()
            .map(|(guest, dir)| Ok((guest.clone(), DirSnapshot::capture(dir.path())?)))
            .collect()
    }
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

/// Windows needs to know whether a link points to a directory, which a
/// dangling or looping target cannot say; the corpus runs on Unix hosts.
#[cfg(not(unix))]
fn symlink(_target: &str, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "symlinks in preopens need a Unix host",
    ))
}
