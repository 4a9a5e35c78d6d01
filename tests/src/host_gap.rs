//! Known differences from the oracle that only a fix in one host can close.

use crate::outcome::Outcome;

/// How one host's run of a case departs from the oracle, and why: each
/// replacement turns text of the oracle's output into what that host prints
/// instead. That host's lane then requires exactly the oracle's outcome with
/// the replacements made, so the gap is pinned; once the host stops differing
/// the test fails, asking for the gap to be removed.
#[derive(Debug, Clone)]
pub struct HostGap {
    /// The [`Host::name`](crate::Host::name) the gap belongs to.
    pub host: &'static str,
    pub reason: &'static str,
    pub stdout: Vec<(String, String)>,
    pub stderr: Vec<(String, String)>,
}

impl HostGap {
    pub fn new(host: &'static str, reason: &'static str) -> Self {
        HostGap {
            host,
            reason,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    /// Every `oracle` text in stdout reads `host` on this host.
    pub fn stdout(mut self, oracle: impl Into<String>, host: impl Into<String>) -> Self {
        self.stdout.push((oracle.into(), host.into()));
        self
    }

    /// Every `oracle` text in stderr reads `host` on this host.
    pub fn stderr(mut self, oracle: impl Into<String>, host: impl Into<String>) -> Self {
        self.stderr.push((oracle.into(), host.into()));
        self
    }

    /// What the host must show: `oracle` with the replacements made. Each
    /// replaced text must occur in the oracle's output, or the gap describes
    /// some other run.
    pub fn applied_to(&self, oracle: &Outcome) -> Result<Outcome, String> {
        let mut pinned = oracle.clone();
        for (stream, bytes, replacements) in [
            ("stdout", &mut pinned.stdout, &self.stdout),
            ("stderr", &mut pinned.stderr, &self.stderr),
        ] {
            for (from, to) in replacements {
                *bytes = replace_all(bytes, from.as_bytes(), to.as_bytes())
                    .ok_or_else(|| format!("the oracle's {stream} never contains {from:?}"))?;
            }
        }
        Ok(pinned)
    }
}

/// `haystack` with every `from` replaced by `to`; `None` if there is none.
fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let mut result = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    let mut found = false;
    while !from.is_empty() && rest.len() >= from.len() {
        if rest.starts_with(from) {
            result.extend_from_slice(to);
            rest = &rest[from.len()..];
            found = true;
        } else {
            result.push(rest[0]);
            rest = &rest[1..];
        }
    }
    result.extend_from_slice(rest);
    found.then_some(result)
}

#[cfg(test)]
mod tests {
    use super::replace_all;

    #[test]
    fn replaces_every_occurrence() {
        assert_eq!(
            replace_all(b"a UNKNOWN b UNKNOWN", b"UNKNOWN", b"CHAR"),
            Some(b"a CHAR b CHAR".to_vec())
        );
    }

    #[test]
    fn absent_text_is_reported() {
        assert_eq!(replace_all(b"abc", b"x", b"y"), None);
        assert_eq!(replace_all(b"abc", b"", b"y"), None);
    }
}
