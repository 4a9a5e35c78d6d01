//! Which WASI 0.2 release a component imports.

use std::fmt;
use std::str::FromStr;

/// A WASI 0.2 release a component can import: 0.2.0 through 0.2.12.
///
/// Every 0.2 release only adds to the ones before it, so a component that
/// imports an older release's names runs on more hosts. The one thing lost
/// below 0.2.12 is `wasi:cli/exit.exit-with-code`: the program's exit code
/// is then reported as success (0) or failure (1) only.
///
/// ```
/// use wasi_upgrade::WasiVersion;
/// let version: WasiVersion = "0.2.3".parse()?;
/// assert_eq!(version.to_string(), "0.2.3");
/// assert!(WasiVersion::OLDEST < version && version < WasiVersion::NEWEST);
/// # Ok::<(), wasi_upgrade::UnknownWasiVersion>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WasiVersion {
    patch: u8,
}

impl WasiVersion {
    /// WASI 0.2.0, the first 0.2 release.
    ///
    /// ```
    /// assert_eq!(wasi_upgrade::WasiVersion::OLDEST.to_string(), "0.2.0");
    /// ```
    pub const OLDEST: WasiVersion = WasiVersion { patch: 0 };
    /// WASI 0.2.12, the release the adapter is built against and the first
    /// with `exit-with-code`.
    ///
    /// ```
    /// assert_eq!(wasi_upgrade::WasiVersion::NEWEST.to_string(), "0.2.12");
    /// ```
    pub const NEWEST: WasiVersion = WasiVersion { patch: 12 };
    /// What an upgrade targets unless told otherwise: the newest, because
    /// it is the only one that keeps exit codes and the current hosts
    /// (Wasmtime, jco) run it; see the README for when to pick an older one.
    ///
    /// ```
    /// use wasi_upgrade::WasiVersion;
    /// assert_eq!(WasiVersion::default(), WasiVersion::DEFAULT);
    /// assert_eq!(WasiVersion::DEFAULT, WasiVersion::NEWEST);
    /// ```
    pub const DEFAULT: WasiVersion = WasiVersion::NEWEST;

    /// WASI `0.2.{patch}`, if wasi-upgrade can target it.
    ///
    /// ```
    /// use wasi_upgrade::WasiVersion;
    /// assert_eq!(WasiVersion::new(0), Some(WasiVersion::OLDEST));
    /// assert_eq!(WasiVersion::new(13), None);
    /// ```
    pub const fn new(patch: u8) -> Option<WasiVersion> {
        if patch <= WasiVersion::NEWEST.patch {
            Some(WasiVersion { patch })
        } else {
            None
        }
    }

    /// The `N` of `0.2.N`.
    ///
    /// ```
    /// assert_eq!(wasi_upgrade::WasiVersion::NEWEST.patch(), 12);
    /// ```
    pub const fn patch(self) -> u8 {
        self.patch
    }

    /// Whether `wasi:cli/exit.exit-with-code` exists in this release.
    pub(crate) fn has_exit_with_code(self) -> bool {
        self >= WasiVersion::NEWEST
    }
}

impl Default for WasiVersion {
    fn default() -> Self {
        WasiVersion::DEFAULT
    }
}

impl fmt::Display for WasiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0.2.{}", self.patch)
    }
}

/// A version string that names no WASI release wasi-upgrade can target.
///
/// ```
/// let error = "0.3.0".parse::<wasi_upgrade::WasiVersion>().unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "`0.3.0` is not a WASI version wasi-upgrade can target: choose one of 0.2.0 through 0.2.12"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWasiVersion(String);

impl fmt::Display for UnknownWasiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a WASI version wasi-upgrade can target: choose one of {} through {}",
            self.0,
            WasiVersion::OLDEST,
            WasiVersion::NEWEST
        )
    }
}

impl std::error::Error for UnknownWasiVersion {}

impl FromStr for WasiVersion {
    type Err = UnknownWasiVersion;

    /// Parses `0.2.N`, exactly as WIT package versions are written.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownWasiVersion(text.to_owned());
        let patch = text.strip_prefix("0.2.").ok_or_else(unknown)?;
        // `u8::from_str` takes a leading `+`; WIT versions have no sign and
        // no leading zeros.
        let canonical = !patch.is_empty()
            && patch.bytes().all(|b| b.is_ascii_digit())
            && (patch == "0" || !patch.starts_with('0'));
        if !canonical {
            return Err(unknown());
        }
        patch
            .parse()
            .ok()
            .and_then(WasiVersion::new)
            .ok_or_else(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_supported_release_and_nothing_else() {
        for patch in 0..=12 {
            let text = format!("0.2.{patch}");
            let version: WasiVersion = text.parse().unwrap();
            assert_eq!(version.patch(), patch);
            assert_eq!(version.to_string(), text);
        }
        for bad in [
            "", "0.2", "0.2.", "0.2.13", "0.3.0", "1.0.0", "0.2.+1", "0.2.01", "0.2.1-rc", " 0.2.1",
        ] {
            let error = bad.parse::<WasiVersion>().unwrap_err();
            assert!(
                error.to_string().contains("0.2.0 through 0.2.12"),
                "{error}"
            );
        }
    }

    #[test]
    fn only_the_newest_has_exit_with_code() {
        assert!(WasiVersion::NEWEST.has_exit_with_code());
        assert!(!WasiVersion::new(11).unwrap().has_exit_with_code());
        assert_eq!(WasiVersion::default(), WasiVersion::NEWEST);
    }
}
