//! What native preview1 makes of a path by its letters alone: whether it is
//! UTF-8, its last component, its trailing `/` or `/.`. Pure functions of
//! the bytes, so `adapter-build/tests/adapter_logic.rs` tests them on the
//! host (this file uses nothing from the rest of the crate).

/// The high bit of each byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The low bit of each byte of a word.
const LOW: u64 = 0x0101_0101_0101_0101;

/// Whether `test` holds for any eight-byte word of `bytes`, the last word
/// overlapping the one before when the length is not a multiple of eight
/// (so a short tail costs one more word, not a loop); `None` if `bytes` is
/// shorter than a word. Paths are checked on every call, and this is most
/// of what those checks cost.
fn any_word(bytes: &[u8], test: impl Fn(u64) -> bool) -> Option<bool> {
    let (_, last) = bytes.split_last_chunk::<8>()?;
    let mut rest = bytes;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        if test(u64::from_le_bytes(*chunk)) {
            return Some(true);
        }
        rest = tail;
    }
    Some(test(u64::from_le_bytes(*last)))
}

/// Whether `bytes` is UTF-8, by the same rules as `core::str::from_utf8`
/// (no overlong forms, no surrogates, nothing past U+10FFFF), which cannot
/// be used here because its width table is a data section.
pub fn is_utf8(bytes: &[u8]) -> bool {
    // Paths are nearly always ASCII.
    let ascii = match any_word(bytes, |word| word & HIGH != 0) {
        Some(non_ascii) => !non_ascii,
        None => bytes.iter().all(|byte| byte.is_ascii()),
    };
    ascii || is_utf8_by_sequence(bytes)
}

/// `is_utf8`, one sequence at a time.
fn is_utf8_by_sequence(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        let Some((&lead, tail)) = rest.split_first() else {
            return true;
        };
        if lead.is_ascii() {
            rest = tail;
            continue;
        }
        // The allowed range of the second byte depends on the lead byte.
        let (continuation, second_low, second_high) = match lead {
            0xc2..=0xdf => (1, 0x80, 0xbf),
            0xe0 => (2, 0xa0, 0xbf),
            0xe1..=0xec | 0xee..=0xef => (2, 0x80, 0xbf),
            0xed => (2, 0x80, 0x9f),
            0xf0 => (3, 0x90, 0xbf),
            0xf1..=0xf3 => (3, 0x80, 0xbf),
            0xf4 => (3, 0x80, 0x8f),
            _ => return false,
        };
        let Some(following) = tail.get(..continuation) else {
            return false;
        };
        for (position, &byte) in following.iter().enumerate() {
            let (low, high) = if position == 0 {
                (second_low, second_high)
            } else {
                (0x80, 0xbf)
            };
            if byte < low || byte > high {
                return false;
            }
        }
        rest = tail.get(continuation..).unwrap_or(&[]);
    }
}

/// Whether `bytes` is ASCII without a NUL byte, so both UTF-8 and free of
/// NUL: nearly every path is, and this answers both questions in one pass.
pub fn is_ascii_without_nul(bytes: &[u8]) -> bool {
    // The word test is `is_utf8`'s ASCII test and `has_nul`'s zero test at
    // once; the zero test is exact once every byte is ASCII.
    let failed = any_word(bytes, |word| {
        (word | (word.wrapping_sub(LOW) & !word)) & HIGH != 0
    });
    match failed {
        Some(failed) => !failed,
        None => bytes.iter().all(|&byte| byte != 0 && byte.is_ascii()),
    }
}

/// Whether `bytes` contains a NUL byte.
pub fn has_nul(bytes: &[u8]) -> bool {
    // A byte of `word` is zero if and only if this sets its high bit (the
    // borrow of a lower zero byte can only set bits above it).
    any_word(bytes, |word| word.wrapping_sub(LOW) & !word & HIGH != 0)
        .unwrap_or_else(|| bytes.contains(&0))
}

/// The last component of `path` (empty after a trailing slash), if the
/// path stays inside its directory by its letters alone. Paths that are
/// absolute or climb out with `..` are left to the host, which refuses them
/// for leaving the directory (`EPERM`) before it looks at anything else.
pub fn last_component(path: &[u8]) -> Option<&[u8]> {
    if path.first() == Some(&b'/') {
        return None;
    }
    let mut depth = 0u32;
    let mut last: &[u8] = &[];
    for part in path.split(|&byte| byte == b'/') {
        if part == b".." {
            depth = depth.checked_sub(1)?;
        } else if !part.is_empty() && part != b"." {
            depth += 1;
        }
        last = part;
    }
    Some(last)
}

/// Whether the last component of `path` is `.` or `..`.
pub fn ends_in_dot_or_dot_dot(path: &[u8]) -> bool {
    matches!(
        path.rsplit(|&byte| byte == b'/').next(),
        Some(b".") | Some(b"..")
    )
}

/// Whether `path` ends in `.`, `..` or a slash, which names no entry that
/// could be removed.
pub fn ends_in_no_name(path: &[u8]) -> bool {
    last_component(path).is_some_and(|last| last.is_empty() || last == b"." || last == b"..")
}

/// What ends a path after its last name, which decides how native's host
/// looks that name up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// One or more slashes: `name/`.
    Slash,
    /// A final `.` component: `name/.` (or `name/./`).
    Dot,
}

/// A path that ends in `/` or `/.`, split into its suffix and its stem (the
/// path without any trailing slashes and `/.` components). Native's host
/// resolves the stem as a directory, following symlinks, before anything
/// else, so such a path answers `ENOENT` or `ENOTDIR` for a stem that is
/// missing or not a directory whatever the operation; some hosts drop the
/// suffix instead and act on the stem itself. `None` for other paths, and
/// for paths whose stem is empty (`/`, `./`), which need no such care.
pub fn split_suffix(path: &[u8]) -> Option<(Suffix, &[u8])> {
    if !may_have_suffix(path) {
        return None;
    }
    let mut unslashed = path;
    while let [rest @ .., b'/'] = unslashed {
        unslashed = rest;
    }
    let suffix = if unslashed.ends_with(b"/.") {
        Suffix::Dot
    } else if unslashed.len() < path.len() {
        Suffix::Slash
    } else {
        return None;
    };
    let mut stem = path;
    while let [rest @ .., b'/'] | [rest @ .., b'/', b'.'] = stem {
        stem = rest;
    }
    if stem.is_empty() || stem == b"." {
        return None;
    }
    Some((suffix, stem))
}

/// Whether `path` may end in `/` or `/.` (`split_suffix` may split it):
/// a cheap test that rules out nearly every path, which ends in a name.
pub fn may_have_suffix(path: &[u8]) -> bool {
    matches!(path.last(), Some(b'/' | b'.'))
}

/// The name `path` consists of, if it is a single name followed by nothing
/// but slashes and `.` components (`name`, `name/`, `name/.`). Native's
/// host stats such a path without following directly by that name (it
/// sees the path as Rust's `Path::components` does), where a longer path
/// ending in `/` must lead to a directory.
pub fn single_name(path: &[u8]) -> Option<&[u8]> {
    let mut parts = path.split(|&byte| byte == b'/');
    let name = parts.next()?;
    if name.is_empty() || name == b"." || name == b".." {
        return None;
    }
    parts
        .all(|part| part.is_empty() || part == b".")
        .then_some(name)
}
