//! The adapter's pure logic, tested on the host: the modules below are the
//! adapter's own files, compiled here as they are (they use nothing of the
//! adapter but each other), with the few WASI 0.2 types `errno` maps from
//! declared as the adapter declares them.

#[allow(dead_code)] // The whole preview1 ABI; the tests use part of it.
#[path = "../../adapter/src/abi.rs"]
mod abi;
#[path = "../../adapter/src/dirent_buffer.rs"]
mod dirent_buffer;
#[path = "../../adapter/src/errno.rs"]
mod errno;
#[path = "../../adapter/src/iovec_rules.rs"]
mod iovec_rules;
#[path = "../../adapter/src/listen_variable.rs"]
mod listen_variable;
#[path = "../../adapter/src/path_rules.rs"]
mod path_rules;

/// The 0.2 error types, as `adapter/src/wasi/` declares them.
mod wasi {
    pub mod filesystem {
        pub struct ErrorCode(pub u8);
    }
    pub mod io {
        #[allow(dead_code)] // `errno` maps both cases alike.
        pub enum StreamError {
            LastOperationFailed,
            Closed,
        }
    }
    pub mod sockets {
        pub struct SocketError(pub u8);
    }
}

use std::path::Path;

use abi::Errno;
use path_rules::{
    Suffix, ends_in_dot_or_dot_dot, ends_in_no_name, has_nul, is_ascii_without_nul, is_utf8,
    last_component, may_have_suffix, single_name, split_suffix,
};

#[test]
fn is_utf8_agrees_with_the_standard_library() {
    let agrees = |bytes: &[u8]| {
        assert_eq!(
            is_utf8(bytes),
            std::str::from_utf8(bytes).is_ok(),
            "{bytes:x?}"
        );
    };
    // Every sequence of up to two bytes, and every three-byte one that
    // starts with a multi-byte lead.
    for a in 0..=255u8 {
        agrees(&[a]);
        for b in 0..=255u8 {
            agrees(&[a, b]);
            if a >= 0xc0 {
                for c in 0..=255u8 {
                    agrees(&[a, b, c]);
                }
            }
        }
    }
    // Longer strings, drawn from bytes near the boundaries of each form.
    let interesting = [
        0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1,
        0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..200_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 9) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|i| interesting[((seed >> (8 + 5 * i)) % interesting.len() as u64) as usize])
            .collect();
        agrees(&bytes);
    }
}

#[test]
fn words_of_ascii_are_checked_like_single_bytes() {
    let tails: [&[u8]; 8] = [
        b"",
        b"\xc3\xa9",
        b"\xc3",
        b"\xff",
        b"\x00",
        b"\x80\x01",
        b"\xe2\x82\xac",
        b"\xed\xa0\x80",
    ];
    for prefix in 0..20 {
        for tail in tails {
            let mut bytes = vec![b'a'; prefix];
            bytes.extend_from_slice(tail);
            bytes.extend_from_slice(b"bcdefghij");
            assert_eq!(
                is_utf8(&bytes),
                std::str::from_utf8(&bytes).is_ok(),
                "{bytes:x?}"
            );
            assert_eq!(has_nul(&bytes), bytes.contains(&0), "{bytes:x?}");
            assert_eq!(
                is_ascii_without_nul(&bytes),
                bytes.is_ascii() && !bytes.contains(&0),
                "{bytes:x?}"
            );
        }
    }
    // A NUL anywhere, among bytes whose borrows could fake one.
    for len in 0..24 {
        assert!(!has_nul(&vec![0x01; len]));
        assert!(!has_nul(&vec![0x80; len]));
        for at in 0..len {
            let mut bytes: Vec<u8> = (0..len).map(|i| [0x01, 0x80, 0xff][i % 3]).collect();
            bytes[at] = 0;
            assert!(has_nul(&bytes), "{bytes:x?}");
            let mut ascii: Vec<u8> = (0..len).map(|i| [0x01, 0x7f, b'a'][i % 3]).collect();
            assert!(is_ascii_without_nul(&ascii), "{ascii:x?}");
            ascii[at] = 0;
            assert!(!is_ascii_without_nul(&ascii), "{ascii:x?}");
        }
    }
}

#[test]
fn last_component_stays_inside_the_directory() {
    assert_eq!(last_component(b"a/b"), Some(&b"b"[..]));
    assert_eq!(last_component(b"a/"), Some(&b""[..]));
    assert_eq!(last_component(b"a/.."), Some(&b".."[..]));
    assert_eq!(last_component(b"."), Some(&b"."[..]));
    // Absolute, or climbing out: left to the host.
    assert_eq!(last_component(b"/a"), None);
    assert_eq!(last_component(b".."), None);
    assert_eq!(last_component(b"a/../../b"), None);
    assert!(ends_in_no_name(b"a/"));
    assert!(ends_in_no_name(b"a/."));
    assert!(ends_in_no_name(b"a/b/.."));
    assert!(!ends_in_no_name(b"a/b"));
    assert!(
        !ends_in_no_name(b"../a/"),
        "climbs out, so the host decides"
    );
    assert!(ends_in_dot_or_dot_dot(b"."));
    assert!(ends_in_dot_or_dot_dot(b"a/.."));
    assert!(ends_in_dot_or_dot_dot(b"/a/."));
    assert!(!ends_in_dot_or_dot_dot(b"a/"));
    assert!(!ends_in_dot_or_dot_dot(b"a/..b"));
}

#[test]
fn split_suffix_separates_trailing_slashes_and_dots() {
    assert!(split_suffix(b"a").is_none());
    assert!(split_suffix(b"a/b").is_none());
    assert!(split_suffix(b"a.").is_none());
    assert!(split_suffix(b"a/..").is_none());
    assert!(!may_have_suffix(b"a") && !may_have_suffix(b""));
    assert!(split_suffix(b"a/") == Some((Suffix::Slash, &b"a"[..])));
    assert!(split_suffix(b"a//") == Some((Suffix::Slash, &b"a"[..])));
    assert!(split_suffix(b"a/.") == Some((Suffix::Dot, &b"a"[..])));
    assert!(split_suffix(b"a/./") == Some((Suffix::Dot, &b"a"[..])));
    assert!(split_suffix(b"a/b/./") == Some((Suffix::Dot, &b"a/b"[..])));
    // An empty stem needs no care.
    assert!(split_suffix(b"/").is_none());
    assert!(split_suffix(b"./").is_none());
}

#[test]
fn single_name_is_a_name_and_nothing_but_slashes_and_dots() {
    assert_eq!(single_name(b"a"), Some(&b"a"[..]));
    assert_eq!(single_name(b"a/"), Some(&b"a"[..]));
    assert_eq!(single_name(b"a/./"), Some(&b"a"[..]));
    assert_eq!(single_name(b"a/b"), None);
    assert_eq!(single_name(b"./a"), None);
    assert_eq!(single_name(b".."), None);
    assert_eq!(single_name(b""), None);
}

#[test]
fn only_the_adapter_s_own_variable_is_hidden() {
    use listen_variable::is_listen_variable;
    assert!(is_listen_variable(b"WASI_UPGRADE_TCPLISTEN"));
    for other in [
        &b"WASI_UPGRADE_TCPLISTE"[..],
        b"WASI_UPGRADE_TCPLISTENX",
        b"wasi_upgrade_tcplisten",
        b"WASI_UPGRADE_TCPLISTEN\0",
        b"",
    ] {
        assert!(!is_listen_variable(other), "{other:?}");
    }
}

/// Pushes `names` (with cookies from 2, inode 7, regular files) into a
/// buffer of `capacity` bytes; returns the bytes and how each entry fared.
fn fill_dirents(capacity: u32, names: &[&[u8]]) -> (Vec<u8>, Vec<dirent_buffer::Fit>) {
    use std::cell::RefCell;
    let bytes = RefCell::new(vec![0xaa; capacity as usize]);
    let mut buffer = dirent_buffer::DirentBuffer::new(capacity, |offset, part: &[u8]| {
        bytes.borrow_mut()[offset as usize..][..part.len()].copy_from_slice(part);
        Ok(())
    });
    let mut fits = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let fit = buffer.push(index as u64 + 3, 7, abi::filetype::REGULAR_FILE, name);
        let Ok(fit) = fit else {
            panic!("the writer never fails")
        };
        fits.push(fit);
        if fit != dirent_buffer::Fit::Whole {
            break;
        }
    }
    let used = buffer.used as usize;
    let mut bytes = bytes.into_inner();
    bytes.truncate(used);
    (bytes, fits)
}

#[test]
fn dirents_fill_the_buffer_and_the_last_is_cut_short() {
    use dirent_buffer::Fit::{Truncated, Whole, WholeAndFull};
    let size = abi::dirent::SIZE as usize;
    // Room for everything.
    let (bytes, fits) = fill_dirents(100, &[b"ab", b"c"]);
    assert!(fits == [Whole, Whole]);
    assert_eq!(bytes.len(), 2 * size + 3);
    let header = &bytes[..size];
    let field = |at: u32, len: usize| &header[at as usize..][..len];
    assert_eq!(field(abi::dirent::NEXT, 8), 3u64.to_le_bytes());
    assert_eq!(field(abi::dirent::INO, 8), 7u64.to_le_bytes());
    assert_eq!(field(abi::dirent::NAMLEN, 4), 2u32.to_le_bytes());
    assert_eq!(
        header[abi::dirent::TYPE as usize],
        abi::filetype::REGULAR_FILE
    );
    assert_eq!(&bytes[size..size + 2], b"ab");
    // Exactly full after the first entry.
    let (bytes, fits) = fill_dirents(size as u32 + 2, &[b"ab", b"c"]);
    assert!(fits == [WholeAndFull]);
    assert_eq!(bytes.len(), size + 2);
    // Cut in the name, and in the header: the buffer is used to the end.
    for capacity in [size as u32 + 1, size as u32 - 5] {
        let (bytes, fits) = fill_dirents(capacity, &[b"ab"]);
        assert!(fits == [Truncated]);
        assert_eq!(bytes.len(), capacity as usize);
    }
    // The second entry cut short after a whole first one.
    let (bytes, fits) = fill_dirents(size as u32 + 2 + 10, &[b"ab", b"cd"]);
    assert!(fits == [Whole, Truncated]);
    assert_eq!(bytes.len(), size + 2 + 10);
}

/// `iovec_rules::usable` over `entries`, each `Ok((len, in_memory))` or the
/// errno of an entry that cannot be read, as (entries used, total).
fn usable(entries: &[Result<(u32, bool), Errno>]) -> Result<(u32, u32), u16> {
    iovec_rules::usable(entries.len() as u32, |index| {
        entries[index as usize].map(|(len, in_memory)| {
            let in_memory = if in_memory { Ok(()) } else { Err(Errno::FAULT) };
            (len, in_memory)
        })
    })
    .map(|usable| (usable.entries, usable.total))
    .map_err(|errno| errno.0)
}

#[test]
fn iovecs_are_used_up_to_the_first_that_cannot_be() {
    // All usable: every entry, empty ones included.
    assert_eq!(
        usable(&[Ok((3, true)), Ok((0, false)), Ok((4, true))]),
        Ok((3, 7))
    );
    // Nothing at all is a transfer of nothing.
    assert_eq!(usable(&[]), Ok((0, 0)));
    assert_eq!(usable(&[Ok((0, true)), Ok((0, false))]), Ok((2, 0)));
    // A buffer outside memory: an error if it is the first non-empty one,
    // else the transfer stops before it.
    assert_eq!(
        usable(&[Ok((0, true)), Ok((5, false))]),
        Err(Errno::FAULT.0)
    );
    assert_eq!(
        usable(&[Ok((5, true)), Ok((5, false)), Ok((5, true))]),
        Ok((1, 5))
    );
    // An entry that cannot be read: the same.
    assert_eq!(usable(&[Err(Errno::FAULT)]), Err(Errno::FAULT.0));
    assert_eq!(usable(&[Ok((2, true)), Err(Errno::FAULT)]), Ok((1, 2)));
}

#[test]
fn iovecs_stay_within_native_s_budget() {
    let budget = abi::NATIVE_COPY_BUDGET;
    let array = u64::from(abi::iovec::SIZE);
    // The first buffer alone past the budget (with the array): ENOMEM.
    let len = u32::try_from(budget - array + 1).unwrap_or(u32::MAX);
    assert_eq!(usable(&[Ok((len, true))]), Err(Errno::NOMEM.0));
    // A later buffer past it: the transfer stops before it.
    let two = 2 * array;
    let half = ((budget - two) / 2) as u32;
    assert_eq!(
        usable(&[Ok((half, true)), Ok((half + 1, true))]),
        Ok((1, half))
    );
    assert_eq!(
        usable(&[Ok((half, true)), Ok((half, true))]),
        Ok((2, 2 * half))
    );
}

/// The preview1 errno of each `wasi:filesystem` error code, by name, as
/// native preview1 (Wasmtime's `p1`) maps them.
const FILESYSTEM_ERRNOS: [(&str, Errno); 37] = [
    ("access", Errno::ACCES),
    ("would-block", Errno::AGAIN),
    ("already", Errno::ALREADY),
    ("bad-descriptor", Errno::BADF),
    ("busy", Errno::BUSY),
    ("deadlock", Errno::DEADLK),
    ("quota", Errno::DQUOT),
    ("exist", Errno::EXIST),
    ("file-too-large", Errno::FBIG),
    ("illegal-byte-sequence", Errno::ILSEQ),
    ("in-progress", Errno::INPROGRESS),
    ("interrupted", Errno::INTR),
    ("invalid", Errno::INVAL),
    ("io", Errno::IO),
    ("is-directory", Errno::ISDIR),
    ("loop", Errno::LOOP),
    ("too-many-links", Errno::MLINK),
    ("message-size", Errno::MSGSIZE),
    ("name-too-long", Errno::NAMETOOLONG),
    ("no-device", Errno::NODEV),
    ("no-entry", Errno::NOENT),
    ("no-lock", Errno::NOLCK),
    ("insufficient-memory", Errno::NOMEM),
    ("insufficient-space", Errno::NOSPC),
    ("not-directory", Errno::NOTDIR),
    ("not-empty", Errno::NOTEMPTY),
    ("not-recoverable", Errno::NOTRECOVERABLE),
    ("unsupported", Errno::NOTSUP),
    ("no-tty", Errno::NOTTY),
    ("no-such-device", Errno::NXIO),
    ("overflow", Errno::OVERFLOW),
    ("not-permitted", Errno::PERM),
    ("pipe", Errno::PIPE),
    ("read-only", Errno::ROFS),
    ("invalid-seek", Errno::SPIPE),
    ("text-file-busy", Errno::TXTBSY),
    ("cross-device", Errno::XDEV),
];

#[test]
fn filesystem_errors_map_by_their_place_in_the_wit() {
    let wit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit/deps/filesystem/filesystem.wit");
    let cases = enum_cases(&std::fs::read_to_string(wit).unwrap(), "error-code");
    assert_eq!(cases.len(), FILESYSTEM_ERRNOS.len(), "{cases:?}");
    for (index, case) in cases.iter().enumerate() {
        let (_, expected) = FILESYSTEM_ERRNOS
            .iter()
            .find(|(name, _)| name == case)
            .unwrap_or_else(|| panic!("no errno listed for `{case}`"));
        let mapped = Errno::from(wasi::filesystem::ErrorCode(index as u8));
        assert_eq!(mapped.0, expected.0, "`{case}` (case {index})");
    }
    let unknown = Errno::from(wasi::filesystem::ErrorCode(cases.len() as u8));
    assert_eq!(unknown.0, Errno::IO.0);
}

#[test]
fn stream_errors_are_io_errors() {
    let errno = Errno::from(wasi::io::StreamError::Closed);
    assert_eq!(errno.0, Errno::IO.0);
}

#[test]
fn socket_errors_map_by_their_place_in_the_wit() {
    let wit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit/deps/sockets/sockets.wit");
    let cases = enum_cases(&std::fs::read_to_string(wit).unwrap(), "error-code");
    let expected = |case: &str| match case {
        "access-denied" => Errno::ACCES,
        "not-supported" => Errno::NOTSUP,
        "invalid-argument" | "invalid-state" | "not-in-progress" => Errno::INVAL,
        "out-of-memory" => Errno::NOMEM,
        "timeout" => Errno::TIMEDOUT,
        "concurrency-conflict" => Errno::ALREADY,
        "would-block" => Errno::AGAIN,
        "new-socket-limit" => Errno::NFILE,
        "address-not-bindable" => Errno::ADDRNOTAVAIL,
        "address-in-use" => Errno::ADDRINUSE,
        "remote-unreachable" => Errno::HOSTUNREACH,
        "connection-refused" => Errno::CONNREFUSED,
        "connection-reset" => Errno::CONNRESET,
        "connection-aborted" => Errno::CONNABORTED,
        "datagram-too-large" => Errno::MSGSIZE,
        _ => Errno::IO,
    };
    assert!(cases.len() >= 18, "{cases:?}");
    for (index, case) in cases.iter().enumerate() {
        let mapped = Errno::from(wasi::sockets::SocketError(index as u8));
        assert_eq!(mapped.0, expected(case).0, "`{case}` (case {index})");
    }
}

/// The cases of `enum name { … }` in `wit`, in order.
fn enum_cases(wit: &str, name: &str) -> Vec<String> {
    let start = wit
        .find(&format!("enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name}"));
    let body = &wit[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.lines()
        .map(|line| line.split("//").next().unwrap().trim())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|case| !case.is_empty())
        .map(str::to_string)
        .collect()
}
