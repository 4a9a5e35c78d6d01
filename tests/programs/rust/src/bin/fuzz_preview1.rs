//! A seeded differential fuzzer of preview1 semantics.
//!
//! `fuzz_preview1 SEED CALLS [avoid=SHAPE,SHAPE...]` makes CALLS raw
//! `wasi_snapshot_preview1` calls chosen by SEED alone (path_open with random
//! flags and rights, reads, writes, seeks, pread/pwrite, readdir through
//! small buffers and saved cookies, renumber, close, rename, link, symlink,
//! unlink, mkdir/rmdir, set_size, filestat, fdstat, prestat, poll_oneoff,
//! clocks, ...) on the scratch tree preopened at fd 3, with valid, invalid and
//! boundary arguments. It prints one line per call: the call, its arguments
//! and every part of the answer that any correct host must give identically
//! (errno, fd numbers, byte counts and contents, names, file types, sizes,
//! link counts, flags), never timestamps, inode numbers, readdir cookies or
//! how a host splits a transfer into calls.
//!
//! The sequence is a stream: the first N calls of `SEED CALLS` are the same
//! for every CALLS >= N, so a difference narrows down to the first call that
//! shows it by running fewer calls.
//!
//! Only arguments whose meaning preview1 fixes are generated: no enum or flag
//! values out of range and no pointers out of bounds (native traps on those,
//! which would end the program), no bad fds in `poll_oneoff` (one fails the
//! whole call, which would hide the rest), and no readdir cookies but 0 and the
//! ones the host handed out (cookies are opaque), resumed only while the tree
//! is unchanged (POSIX leaves it open whether a listing in progress sees
//! changes). Each SHAPE named after `avoid=` is not generated either: see
//! `Shape`.

use wasi::wasi_snapshot_preview1 as raw;
use wasi_upgrade_test_programs::{fnv1a, print_raw, raw_errno_name, show_bytes};

/// The scratch directory, preopened by the case.
const SCRATCH: u32 = 3;
/// Size of a `dirent` header.
const DIRENT: usize = 24;

/// Declares `Shape` and `SHAPES` (every variant with its name) from one
/// list, so that a new shape cannot be left out of `avoid=`.
macro_rules! shapes {
    ($($(#[doc = $doc:literal])* $variant:ident,)*) => {
        /// Call shapes that can be left out with `avoid=NAME` (NAME is the
        /// variant's name in kebab case): known differences waiting for a fix
        /// elsewhere, and host gaps.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        enum Shape {
            $($(#[doc = $doc])* $variant,)*
        }

        const SHAPES: &[(Shape, &str)] = &[$((Shape::$variant, stringify!($variant))),*];
    };
}

shapes! {
    /// `fd_renumber` onto an fd that is not open.
    RenumberToUnopened,
    /// Path arguments ending in `/`.
    TrailingSlash,
    /// Pointer arguments at address 0.
    AddressZero,
    /// `fd_readdir` from cookie 0 on an fd listed before, after the tree changed.
    ReaddirRereadAfterChange,
    /// `poll_oneoff` reading from stdin.
    PollStdin,
    /// Any call on an fd opened before a directory was renamed or removed
    /// (it may be that directory); the scratch preopen is used instead.
    FdsOpenedBeforeAMove,
    /// The rights `fd_fdstat_get` reports for files and directories
    /// opened by the program (not printed).
    OpenedFdRights,
    /// Paths with `..` after a name (`d/..`, `d/../a`).
    DotDotAfterName,
    /// `fd_read`/`fd_write` whose position plus length passes `i64::MAX`.
    TransferCrossingI64Max,
    /// `fd_read` of 0 bytes from stdin (or another stream).
    EmptyStreamRead,
    /// `path_open` with `DIRECTORY` and `CREAT`.
    CreatWithDirectory,
    /// `path_link`/`path_rename` whose second path is wrong by its letters
    /// alone (absolute, starting with `..`, or a name over 255 bytes).
    SecondPathWrongByItsLetters,
    /// Which errno `path_rename`/`path_link` answer when they fail (shown
    /// as `failed`): the one of the two paths that is checked first.
    TwoPathErrnos,
    /// `path_symlink` to an absolute target.
    AbsoluteSymlinkTarget,
    /// `path_open` with `CREAT|EXCL` and `SYMLINK_FOLLOW`.
    ExclusiveCreateFollowing,
    /// `fd_renumber` or `fd_close` reaching the preopens before anything
    /// else has touched an fd above 2 (otherwise the program first asks
    /// `fd_prestat_get(3)`, unprinted).
    EarlyRenumberOverPreopens,
    /// The file type of stdio in `fd_fdstat_get`/`fd_filestat_get` (shown
    /// as `stdio` instead of `UNKNOWN` or `CHARACTER_DEVICE`).
    StdioFiletype,
    /// File offsets and sizes of 2^44 (ext4's largest file) and more in
    /// reads, writes, seeks and `fd_filestat_set_size`.
    OffsetsPastFileSystemLimit,
    /// The sync fdflags (`DSYNC`, `RSYNC`, `SYNC`) in `path_open`.
    OpenSyncFlags,
    /// `poll_oneoff` of a file read beside anything else that can be ready
    /// (stdio, a file write, an expired clock, another file read): native's
    /// read runs on a blocking thread that races with its look at the
    /// others, so its answer changes from run to run.
    PollMixedReadiness,
    /// `path_open` with `CREAT` or `TRUNC` but without the `FD_WRITE` right
    /// (the file is then open for writing on the host).
    CreateWithoutWriteRight,
    /// `path_open` with a sync fdflag and an empty path or `DIRECTORY`
    /// beside `CREAT`, `EXCL` or `TRUNC` (two reasons to fail).
    SyncFlagsBesideOtherError,
    /// A read or write at an offset or position past `i64::MAX` on an fd
    /// without `FD_READ`/`FD_WRITE` (two reasons to fail).
    OffsetPastI64WithoutRight,
    /// An empty path in `path_link`, `path_rename` or as `path_symlink`'s
    /// target (which of two reasons to fail wins).
    EmptyPathBesideOtherError,
    /// `path_rename`, `path_remove_directory` or `path_unlink_file` of a
    /// path ending in `.` or `..`.
    EndsInDotOrDotDot,
    /// `fd_filestat_set_times` or `path_filestat_set_times` changing
    /// neither time.
    SetTimesUnchanged,
    /// `fd_filestat_set_times` at all (`path_filestat_set_times` is tried
    /// instead): a host that stores a descriptor's times wrongly makes the
    /// file's later stats depend on the file system.
    DescriptorSetTimes,
}

/// `TrailingSlash` as `trailing-slash`.
fn kebab_case(name: &str) -> String {
    let mut kebab = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            kebab.push('-');
        }
        kebab.push(c.to_ascii_lowercase());
    }
    kebab
}

/// Names tried as paths, relative to a directory fd; the scratch tree has
/// `a`, `b`, `d/e`, `d/sub/`, and symlinks `l` -> `a`, `dl` -> `d`,
/// `dangling`, `loop` and `out` (escaping the preopen).
const NAMES: &[&str] = &[
    "a",
    "a",
    "b",
    "b",
    "c",
    "c",
    "d",
    "d/e",
    "d/f",
    "d/sub",
    "d/sub/g",
    "e",
    "f",
    "l",
    "dl",
    "dl/e",
    "dangling",
    "loop",
    "out",
    "new",
    "x",
    "d/..",
    "d/../a",
    ".",
    "..",
    "../x",
    "/abs",
    "",
    "./a",
    "d//e",
    "d/./f",
    "a/b",
    "l/x",
    "a/",
    "d/",
    "l/",
    "dl/",
    "missing/",
    "c/",
    "d/e/",
    "dangling/",
];
/// Targets for `path_symlink`.
const TARGETS: &[&str] = &[
    "a",
    "d",
    "d/e",
    "nowhere",
    "../escape",
    "/abs",
    "",
    "l",
    "loop",
    "c",
    ".",
    "d/",
];

struct Rng(u64);

impl Rng {
    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

struct Fuzz {
    rng: Rng,
    avoid: Vec<Shape>,
    /// Fds above 2 that are open, as far as the answers said.
    open: Vec<u32>,
    /// Whether fds 0 and 2 are still open (1 is never closed: it is the log).
    stdin_open: bool,
    stderr_open: bool,
    /// Fds that were open once and were closed since.
    closed: Vec<u32>,
    /// Per open fd, whether native's host can read and write through it:
    /// Wasmtime opens a file for reading unless the `FD_WRITE` right is
    /// asked for, and for writing with that right, `CREAT` or `TRUNC`. Kept
    /// here, not asked (hosts report rights differently), so the calls a
    /// seed makes are the same on every host.
    modes: Vec<(u32, bool, bool)>,
    /// Fds opened before the last successful rename or rmdir.
    opened_before_a_move: Vec<u32>,
    /// Bumped on every change to the tree's names.
    tree_generation: u64,
    /// Per fd listed by fd_readdir: the generation of its last listing from
    /// cookie 0 and the cookie of the last whole entry seen since.
    listings: Vec<(u32, u64, Option<u64>)>,
    calls: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: fuzz_preview1 SEED CALLS [avoid=SHAPE,...]";
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).expect(usage);
    let calls: u64 = args.get(2).and_then(|s| s.parse().ok()).expect(usage);
    let mut avoid = Vec::new();
    if let Some(list) = args.get(3).and_then(|a| a.strip_prefix("avoid=")) {
        for name in list.split(',').filter(|n| !n.is_empty()) {
            let shape = SHAPES
                .iter()
                .find(|(_, variant)| kebab_case(variant) == name)
                .unwrap_or_else(|| panic!("unknown shape {name:?}"));
            avoid.push(shape.0);
        }
    }
    let mut fuzz = Fuzz {
        rng: Rng(seed),
        avoid,
        open: vec![SCRATCH],
        stdin_open: true,
        stderr_open: true,
        closed: Vec::new(),
        modes: vec![(0, true, false), (1, false, true), (2, false, true)],
        opened_before_a_move: Vec::new(),
        tree_generation: 0,
        listings: Vec::new(),
        calls: 0,
    };
    if fuzz.avoids(Shape::EarlyRenumberOverPreopens) {
        let mut prestat = [0u32; 2];
        unsafe { raw::fd_prestat_get(SCRATCH as i32, prestat.as_mut_ptr() as i32) };
    }
    for index in 0..calls {
        let line = fuzz.step();
        print_raw(&format!("#{index} {line}\n"));
    }
    print_raw(&format!("calls {}\n", fuzz.calls));
}

/// The raw errno of a typed call's result (0 for success).
fn raw_errno<T>(result: Result<T, wasi::Errno>) -> i32 {
    result.map_or_else(|e| e.raw().into(), |_| 0)
}

/// `errno NAME` for a raw result.
fn errno(raw: i32) -> String {
    format!("errno {}", raw_errno_name(raw))
}

fn quoted(path: &str) -> String {
    if path.len() > 40 {
        format!("\"{}...\"({} bytes)", &path[..12], path.len())
    } else {
        show_bytes(path.as_bytes())
    }
}

fn filetype_name(filetype: u8) -> String {
    match filetype {
        0 => "UNKNOWN".to_owned(),
        1 => "BLOCK_DEVICE".to_owned(),
        2 => "CHARACTER_DEVICE".to_owned(),
        3 => "DIRECTORY".to_owned(),
        4 => "REGULAR_FILE".to_owned(),
        5 => "SOCKET_DGRAM".to_owned(),
        6 => "SOCKET_STREAM".to_owned(),
        7 => "SYMBOLIC_LINK".to_owned(),
        other => format!("filetype {other}"),
    }
}

/// A `filestat`'s deterministic fields: type, link count and, for files and
/// links, size (a directory's size is the file system's business).
fn describe_filestat(stat: &[u8; 64]) -> String {
    let word = |at: usize| u64::from_le_bytes(stat[at..at + 8].try_into().unwrap());
    let filetype = stat[16];
    let size = if filetype == 3 {
        String::new()
    } else {
        format!(" size {}", word(32))
    };
    format!("{} nlink {}{size}", filetype_name(filetype), word(24))
}

impl Fuzz {
    fn avoids(&self, shape: Shape) -> bool {
        self.avoid.contains(&shape)
    }

    fn step(&mut self) -> String {
        self.calls += 1;
        // Keep the table small: with many fds open, close some.
        if self.open.len() > 12 && self.rng.chance(2) {
            return self.fd_close();
        }
        match self.rng.below(100) {
            0..=13 => self.path_open(),
            14..=20 => self.fd_read(),
            21..=27 => self.fd_write(),
            28..=31 => self.fd_pread(),
            32..=35 => self.fd_pwrite(),
            36..=39 => self.fd_seek(),
            40..=41 => self.fd_tell(),
            42..=47 => self.fd_readdir(),
            48..=50 => self.fd_renumber(),
            51..=54 => self.fd_close(),
            55..=57 => self.path_rename(),
            58..=59 => self.path_link(),
            60..=61 => self.path_symlink(),
            62..=64 => self.path_unlink_file(),
            65..=67 => self.path_create_directory(),
            68..=69 => self.path_remove_directory(),
            70..=72 => self.fd_filestat_set_size(),
            73..=75 => self.fd_filestat_get(),
            76..=79 => self.path_filestat_get(),
            80..=82 => self.fd_fdstat_get(),
            83..=84 => self.poll_oneoff(),
            85..=86 => self.clock(),
            87 => self.fd_prestat(),
            88 => self.fd_fdstat_set_flags(),
            89 => self.fd_advise_allocate(),
            90 => self.fd_sync(),
            91..=92 => self.path_readlink(),
            93 => self.set_times(),
            _ => self.fd_write_from_address_zero_or_read(),
        }
    }

    /// An fd to call an fd function on: mostly open ones, sometimes stdio,
    /// closed ones or ones never opened. `mutating` calls never get fd 1.
    fn fd(&mut self, mutating: bool) -> u32 {
        let fd = match self.rng.below(20) {
            0..=13 if !self.open.is_empty() => {
                // Mostly the fds this program opened, not the preopen.
                let opened: Vec<u32> = self
                    .open
                    .iter()
                    .copied()
                    .filter(|&f| f != SCRATCH)
                    .collect();
                if opened.is_empty() || self.rng.chance(5) {
                    self.rng.pick(&self.open)
                } else {
                    self.rng.pick(&opened)
                }
            }
            14 => 0,
            15 => {
                if mutating {
                    2
                } else {
                    self.rng.pick(&[1, 2])
                }
            }
            16 | 17 if !self.closed.is_empty() => self.rng.pick(&self.closed),
            _ => self
                .rng
                .pick(&[4, 5, 9, 64, 1000, u32::MAX, i32::MAX as u32]),
        };
        self.unless_opened_before_a_move(fd)
    }

    /// `fd`, or the scratch preopen where `fd` was opened before a
    /// directory moved and such fds are avoided.
    fn unless_opened_before_a_move(&self, fd: u32) -> u32 {
        if self.opened_before_a_move.contains(&fd) && self.avoids(Shape::FdsOpenedBeforeAMove) {
            SCRATCH
        } else {
            fd
        }
    }

    /// A directory fd for a path function: mostly the scratch preopen.
    fn dir_fd(&mut self) -> u32 {
        if self.rng.below(4) != 0 {
            SCRATCH
        } else {
            self.fd(false)
        }
    }

    fn path(&mut self) -> String {
        loop {
            let name = match self.rng.below(40) {
                0 => "n".repeat(255),
                1 => "n".repeat(256),
                _ => self.rng.pick(NAMES).to_owned(),
            };
            let avoided = (name.ends_with('/') && self.avoids(Shape::TrailingSlash))
                || (name.contains("/..") && self.avoids(Shape::DotDotAfterName));
            if !avoided {
                return name;
            }
        }
    }

    fn lookupflags(&mut self) -> u32 {
        self.rng.below(2) as u32
    }

    /// After a successful rename or rmdir, any fd open now may be a
    /// directory that moved or is gone.
    fn directories_moved(&mut self, raw: i32) {
        if raw == 0 {
            self.opened_before_a_move = self
                .open
                .iter()
                .copied()
                .filter(|&f| f != SCRATCH)
                .collect();
        }
    }

    fn tree_changed(&mut self, raw: i32) {
        if raw == 0 {
            self.tree_generation += 1;
        }
    }

    fn opened(&mut self, fd: u32) {
        self.closed.retain(|&f| f != fd);
        self.opened_before_a_move.retain(|&f| f != fd);
        match fd {
            0 => self.stdin_open = true,
            2 => self.stderr_open = true,
            _ if fd > 2 && !self.open.contains(&fd) => self.open.push(fd),
            _ => {}
        }
        self.listings.retain(|l| l.0 != fd);
    }

    fn forget(&mut self, fd: u32) {
        self.open.retain(|&f| f != fd);
        self.modes.retain(|m| m.0 != fd);
        self.listings.retain(|l| l.0 != fd);
        match fd {
            0 => self.stdin_open = false,
            2 => self.stderr_open = false,
            _ => {}
        }
        if !self.closed.contains(&fd) {
            self.closed.push(fd);
        }
    }

    /// Whether native can (read, write) through `fd`.
    fn mode(&self, fd: u32) -> (bool, bool) {
        self.modes
            .iter()
            .find(|m| m.0 == fd)
            .map_or((false, false), |m| (m.1, m.2))
    }

    fn set_mode(&mut self, fd: u32, mode: (bool, bool)) {
        self.modes.retain(|m| m.0 != fd);
        self.modes.push((fd, mode.0, mode.1));
    }

    fn is_open(&self, fd: u32) -> bool {
        match fd {
            0 => self.stdin_open,
            1 => true,
            2 => self.stderr_open,
            _ => self.open.contains(&fd),
        }
    }

    fn rights(&mut self) -> u64 {
        const ALL: u64 = (1 << 29) - 1;
        match self.rng.below(8) {
            0..=2 => ALL,
            3 => 0,
            4 => 1 << 1,               // FD_READ
            5 => 1 << 6,               // FD_WRITE
            6 => (1 << 1) | (1 << 14), // FD_READ | FD_READDIR
            _ => self.rng.next() & ALL,
        }
    }

    fn path_open(&mut self) -> String {
        let dir = self.dir_fd();
        let lookup = self.lookupflags();
        let path = self.path();
        // CREAT 1, DIRECTORY 2, EXCL 4, TRUNC 8: mostly what programs use.
        let oflags = match self.rng.below(20) {
            0..=8 => 0,
            9..=12 => 1,
            13 | 14 => 1 | 8,
            15 => 2,
            _ => self.rng.below(16) as u32,
        };
        let base = self.rights();
        let inheriting = self.rights();
        // APPEND 1, DSYNC 2, NONBLOCK 4, RSYNC 8, SYNC 16.
        let mut fdflags = match self.rng.below(6) {
            0 => self.rng.below(32) as u32,
            1 | 2 => 1,
            _ => 0,
        };
        let lookup = if oflags & 5 == 5 && self.avoids(Shape::ExclusiveCreateFollowing) {
            0
        } else {
            lookup
        };
        let oflags = if oflags & 2 != 0 && self.avoids(Shape::CreatWithDirectory) {
            oflags & !1
        } else {
            oflags
        };
        let bad_directory_oflags = oflags & 2 != 0 && oflags & (1 | 4 | 8) != 0;
        let path = if path.is_empty()
            && bad_directory_oflags
            && self.avoids(Shape::EmptyPathBesideOtherError)
        {
            "x".to_owned()
        } else {
            path
        };
        if self.avoids(Shape::OpenSyncFlags)
            || ((bad_directory_oflags || path.is_empty())
                && self.avoids(Shape::SyncFlagsBesideOtherError))
        {
            fdflags &= !(2 | 8 | 16);
        }
        let mut base = base;
        if oflags & (1 | 8) != 0 && self.avoids(Shape::CreateWithoutWriteRight) {
            base |= 1 << 6;
        }
        let mut fd = 0u32;
        let r = unsafe {
            raw::path_open(
                dir as i32,
                lookup as i32,
                path.as_ptr() as i32,
                path.len() as i32,
                oflags as i32,
                base as i64,
                inheriting as i64,
                fdflags as i32,
                &mut fd as *mut u32 as i32,
            )
        };
        let call = format!(
            "path_open({dir}, lookup {lookup}, {}, oflags {oflags:#x}, rights {base:#x}/{inheriting:#x}, fdflags {fdflags:#x})",
            quoted(&path)
        );
        if r == 0 {
            if oflags & 1 != 0 {
                self.tree_generation += 1;
            }
            self.opened(fd);
            let write = base & (1 << 6) != 0 || oflags & (1 | 8) != 0;
            let read = base & (1 << 1) != 0 || base & (1 << 6) == 0;
            self.set_mode(fd, (read, write));
            format!("{call} -> fd {fd}")
        } else {
            format!("{call} -> {}", errno(r))
        }
    }

    /// Lengths for the iovecs of one transfer.
    fn iovec_lengths(&mut self) -> Vec<usize> {
        let count = self.rng.pick(&[0, 1, 1, 1, 2, 3]);
        (0..count)
            .map(|_| self.rng.pick(&[0, 1, 3, 16, 100, 4096]))
            .collect()
    }

    fn fd_read(&mut self) -> String {
        let fd = self.fd(false);
        let mut lengths = self.iovec_lengths();
        if lengths.iter().sum::<usize>() == 0
            && self.avoids(Shape::EmptyStreamRead)
            && filetype(fd) == STREAM
        {
            lengths = vec![1];
        }
        let call = format!("fd_read({fd}, {lengths:?})");
        if self.past_i64_without(fd, 1 << 1) {
            return format!("{call} skipped: position past i64::MAX without FD_READ");
        }
        if self.crosses_i64_max(fd, lengths.iter().sum()) {
            return format!("{call} skipped: would read across i64::MAX");
        }
        let result = transfer_in(&lengths, |iovs, n, _, out| unsafe {
            raw::fd_read(fd as i32, iovs, n, out)
        });
        format!("{call} -> {result}")
    }

    /// Whether a transfer of `len` bytes at `fd`'s position would start at
    /// or below `i64::MAX` and end past it, when that shape is avoided
    /// (asked without printing).
    fn crosses_i64_max(&self, fd: u32, len: usize) -> bool {
        if !self.avoids(Shape::TransferCrossingI64Max) {
            return false;
        }
        let mut position = 0u64;
        let r = unsafe { raw::fd_tell(fd as i32, &mut position as *mut u64 as i32) };
        r == 0 && position <= i64::MAX as u64 && position + len as u64 > i64::MAX as u64
    }

    /// Whether `fd` is at a position past `i64::MAX` and lacks `right`,
    /// when that shape is avoided (asked without printing).
    fn past_i64_without(&self, fd: u32, right: u64) -> bool {
        let (read, write) = self.mode(fd);
        let allowed = if right == 1 << 1 { read } else { write };
        if !self.avoids(Shape::OffsetPastI64WithoutRight) || allowed {
            return false;
        }
        let mut position = 0u64;
        let r = unsafe { raw::fd_tell(fd as i32, &mut position as *mut u64 as i32) };
        r == 0 && position > i64::MAX as u64
    }

    fn offset(&mut self) -> u64 {
        let offset = self.rng.pick(&[
            0,
            0,
            1,
            5,
            13,
            100,
            5000,
            70_000,
            1 << 50,
            i64::MAX as u64,
            1 << 63,
            u64::MAX,
        ]);
        self.within_file_system(offset)
    }

    fn fd_pread(&mut self) -> String {
        let fd = self.fd(false);
        let lengths = self.iovec_lengths();
        let mut offset = self.offset();
        if offset > i64::MAX as u64
            && !self.mode(fd).0
            && self.avoids(Shape::OffsetPastI64WithoutRight)
        {
            offset = 0;
        }
        let call = format!("fd_pread({fd}, {lengths:?}, at {offset})");
        let result = transfer_in(&lengths, |iovs, n, done, out| unsafe {
            raw::fd_pread(fd as i32, iovs, n, offset.wrapping_add(done) as i64, out)
        });
        format!("{call} -> {result}")
    }

    fn data(&mut self) -> Vec<u8> {
        let len = self.rng.pick(&[0, 1, 7, 100, 3000]);
        let start = self.rng.below(26) as u8;
        (0..len)
            .map(|i| b'a' + (start + (i % 26) as u8) % 26)
            .collect()
    }

    fn fd_write(&mut self) -> String {
        let fd = self.fd(true);
        let data = self.data();
        let pieces = self.rng.pick(&[1, 1, 2, 3]);
        let call = format!("fd_write({fd}, {} bytes in {pieces} iovecs)", data.len());
        if self.past_i64_without(fd, 1 << 6) {
            return format!("{call} skipped: position past i64::MAX without FD_WRITE");
        }
        if self.crosses_i64_max(fd, data.len()) {
            return format!("{call} skipped: would write across i64::MAX");
        }
        let result = transfer_out(&data, pieces, |iovs, n, _, out| unsafe {
            raw::fd_write(fd as i32, iovs, n, out)
        });
        format!("{call} -> {result}")
    }

    fn fd_pwrite(&mut self) -> String {
        let fd = self.fd(true);
        let data = self.data();
        let mut offset = self.offset();
        if offset > i64::MAX as u64
            && !self.mode(fd).1
            && self.avoids(Shape::OffsetPastI64WithoutRight)
        {
            offset = 0;
        }
        let call = format!("fd_pwrite({fd}, {} bytes, at {offset})", data.len());
        let result = transfer_out(&data, 1, |iovs, n, done, out| unsafe {
            raw::fd_pwrite(fd as i32, iovs, n, offset.wrapping_add(done) as i64, out)
        });
        format!("{call} -> {result}")
    }

    fn fd_seek(&mut self) -> String {
        let fd = self.fd(false);
        let offset: i64 = self.rng.pick(&[
            0,
            1,
            -1,
            3,
            -3,
            100,
            -100,
            70_000,
            1 << 50,
            i64::MAX,
            i64::MIN,
        ]);
        let offset = match u64::try_from(offset) {
            Ok(positive) => self.within_file_system(positive) as i64,
            Err(_) => offset,
        };
        let whence = self.rng.below(3) as i32;
        let mut position = 0u64;
        let r =
            unsafe { raw::fd_seek(fd as i32, offset, whence, &mut position as *mut u64 as i32) };
        let call = format!("fd_seek({fd}, {offset}, whence {whence})");
        if r == 0 {
            format!("{call} -> {position}")
        } else {
            format!("{call} -> {}", errno(r))
        }
    }

    fn fd_tell(&mut self) -> String {
        let fd = self.fd(false);
        if !self.avoids(Shape::AddressZero) && self.rng.chance(8) {
            // The result lands at address 0, which is ordinary memory.
            let r = unsafe { raw::fd_tell(fd as i32, 0) };
            return format!("fd_tell({fd}, result at address 0) -> {}", errno(r));
        }
        let mut position = 0u64;
        let r = unsafe { raw::fd_tell(fd as i32, &mut position as *mut u64 as i32) };
        if r == 0 {
            format!("fd_tell({fd}) -> {position}")
        } else {
            format!("fd_tell({fd}) -> {}", errno(r))
        }
    }

    fn fd_readdir(&mut self) -> String {
        let fd = self.fd(false);
        let len = self.rng.pick(&[0, 1, 8, 24, 25, 30, 40, 64, 128, 1024]);
        let listing = self.listings.iter().position(|l| l.0 == fd);
        let unchanged = listing.is_some_and(|i| self.listings[i].1 == self.tree_generation);
        let saved = listing.and_then(|i| self.listings[i].2);
        // Resume only while the tree is as it was when the listing began.
        let resume = match saved {
            Some(cookie) if unchanged && self.rng.below(3) != 0 => Some(cookie),
            _ => None,
        };
        if resume.is_none()
            && listing.is_some()
            && !unchanged
            && self.avoids(Shape::ReaddirRereadAfterChange)
        {
            return format!("fd_readdir({fd}) skipped: tree changed since the last listing");
        }
        let cookie = resume.unwrap_or(0);
        let mut buf = vec![0u8; len];
        let mut used = 0u32;
        let r = unsafe {
            raw::fd_readdir(
                fd as i32,
                buf.as_mut_ptr() as i32,
                len as i32,
                cookie as i64,
                &mut used as *mut u32 as i32,
            )
        };
        let call = format!(
            "fd_readdir({fd}, {len} bytes, {})",
            if resume.is_some() {
                "resuming"
            } else {
                "from 0"
            }
        );
        if r != 0 {
            return format!("{call} -> {}", errno(r));
        }
        let used = used as usize;
        let mut at = 0;
        let mut names = Vec::new();
        let mut last = None;
        while at + DIRENT <= used {
            let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            let filetype = buf[at + 20];
            if at + DIRENT + namlen > used {
                break;
            }
            let name = &buf[at + DIRENT..at + DIRENT + namlen];
            names.push(format!("{}:{}", show_bytes(name), filetype_name(filetype)));
            last = Some(next);
            at += DIRENT + namlen;
        }
        let tail = used - at;
        if resume.is_none() {
            let generation = self.tree_generation;
            self.listings.retain(|l| l.0 != fd);
            self.listings.push((fd, generation, last));
        } else if let (Some(i), Some(_)) = (listing, last) {
            self.listings[i].2 = last;
        }
        format!("{call} -> used {used} [{}] partial {tail}", names.join(" "))
    }

    fn fd_renumber(&mut self) -> String {
        let from = self.closable_fd();
        let to = if self.avoids(Shape::RenumberToUnopened) {
            // Rarely the scratch preopen, as in `closable_fd`.
            let keep_scratch = !self.rng.chance(100);
            let candidates: Vec<u32> = self
                .open
                .iter()
                .copied()
                .chain([0, 2])
                .filter(|&f| self.is_open(f) && !(f == SCRATCH && keep_scratch))
                .collect();
            if candidates.is_empty() {
                return "fd_renumber skipped: nothing open".to_owned();
            }
            self.rng.pick(&candidates)
        } else {
            self.closable_fd()
        };
        let r = unsafe { raw::fd_renumber(from as i32, to as i32) };
        if r == 0 && from != to {
            let listing = self
                .listings
                .iter()
                .position(|l| l.0 == from)
                .map(|i| self.listings[i]);
            let mode = self.mode(from);
            self.forget(from);
            self.forget(to);
            self.opened(to);
            self.set_mode(to, mode);
            if let Some((_, generation, cookie)) = listing {
                self.listings.push((to, generation, cookie));
            }
        }
        format!("fd_renumber({from}, {to}) -> {}", errno(r))
    }

    /// An fd to close or renumber: never 1 (the log), and the scratch
    /// preopen one time in 100, so most programs keep their tree.
    fn closable_fd(&mut self) -> u32 {
        if self.rng.chance(100) {
            return SCRATCH;
        }
        loop {
            let fd = self.fd(true);
            if fd != SCRATCH {
                return fd;
            }
        }
    }

    fn fd_close(&mut self) -> String {
        let fd = self.closable_fd();
        let r = unsafe { raw::fd_close(fd as i32) };
        if r == 0 {
            self.forget(fd);
        }
        format!("fd_close({fd}) -> {}", errno(r))
    }

    fn path_rename(&mut self) -> String {
        let (from_dir, mut from) = (self.dir_fd(), self.path());
        let (to_dir, mut to) = (self.dir_fd(), self.path());
        if wrong_by_its_letters(&to) && self.avoids(Shape::SecondPathWrongByItsLetters) {
            to = "x".to_owned();
        }
        for path in [&mut from, &mut to] {
            if (ends_in_dot_or_dot_dot(path) && self.avoids(Shape::EndsInDotOrDotDot))
                || (path.is_empty() && self.avoids(Shape::EmptyPathBesideOtherError))
            {
                *path = "x".to_owned();
            }
        }
        let r = raw_errno(unsafe { wasi::path_rename(from_dir, &from, to_dir, &to) });
        self.tree_changed(r);
        self.directories_moved(r);
        format!(
            "path_rename({from_dir}, {}, {to_dir}, {}) -> {}",
            quoted(&from),
            quoted(&to),
            self.two_path_errno(r)
        )
    }

    fn path_link(&mut self) -> String {
        let (from_dir, lookup, mut from) = (self.dir_fd(), self.lookupflags(), self.path());
        let (to_dir, mut to) = (self.dir_fd(), self.path());
        if wrong_by_its_letters(&to) && self.avoids(Shape::SecondPathWrongByItsLetters) {
            to = "x".to_owned();
        }
        for path in [&mut from, &mut to] {
            if path.is_empty() && self.avoids(Shape::EmptyPathBesideOtherError) {
                *path = "x".to_owned();
            }
        }
        let r = raw_errno(unsafe { wasi::path_link(from_dir, lookup, &from, to_dir, &to) });
        self.tree_changed(r);
        format!(
            "path_link({from_dir}, lookup {lookup}, {}, {to_dir}, {}) -> {}",
            quoted(&from),
            quoted(&to),
            self.two_path_errno(r)
        )
    }

    fn path_symlink(&mut self) -> String {
        let target = loop {
            let target = self.rng.pick(TARGETS);
            let avoided = (target.ends_with('/') && self.avoids(Shape::TrailingSlash))
                || (target.starts_with('/') && self.avoids(Shape::AbsoluteSymlinkTarget))
                || (target.is_empty() && self.avoids(Shape::EmptyPathBesideOtherError));
            if !avoided {
                break target;
            }
        };
        let (dir, mut path) = (self.dir_fd(), self.path());
        if path.is_empty() && self.avoids(Shape::EmptyPathBesideOtherError) {
            path = "x".to_owned();
        }
        let r = raw_errno(unsafe { wasi::path_symlink(target, dir, &path) });
        self.tree_changed(r);
        format!(
            "path_symlink({}, {dir}, {}) -> {}",
            quoted(target),
            quoted(&path),
            errno(r)
        )
    }

    fn path_unlink_file(&mut self) -> String {
        let (dir, mut path) = (self.dir_fd(), self.path());
        if ends_in_dot_or_dot_dot(&path) && self.avoids(Shape::EndsInDotOrDotDot) {
            path = "x".to_owned();
        }
        let r =
            unsafe { raw::path_unlink_file(dir as i32, path.as_ptr() as i32, path.len() as i32) };
        self.tree_changed(r);
        format!("path_unlink_file({dir}, {}) -> {}", quoted(&path), errno(r))
    }

    fn path_create_directory(&mut self) -> String {
        let (dir, path) = (self.dir_fd(), self.path());
        let r = unsafe {
            raw::path_create_directory(dir as i32, path.as_ptr() as i32, path.len() as i32)
        };
        self.tree_changed(r);
        format!(
            "path_create_directory({dir}, {}) -> {}",
            quoted(&path),
            errno(r)
        )
    }

    fn path_remove_directory(&mut self) -> String {
        let (dir, mut path) = (self.dir_fd(), self.path());
        if ends_in_dot_or_dot_dot(&path) && self.avoids(Shape::EndsInDotOrDotDot) {
            path = "x".to_owned();
        }
        let r = unsafe {
            raw::path_remove_directory(dir as i32, path.as_ptr() as i32, path.len() as i32)
        };
        self.tree_changed(r);
        self.directories_moved(r);
        format!(
            "path_remove_directory({dir}, {}) -> {}",
            quoted(&path),
            errno(r)
        )
    }

    fn fd_filestat_set_size(&mut self) -> String {
        let fd = self.fd(true);
        let size: u64 = self
            .rng
            .pick(&[0, 1, 3, 50, 5000, 1 << 50, 1 << 63, u64::MAX]);
        let size = self.within_file_system(size);
        let r = unsafe { raw::fd_filestat_set_size(fd as i32, size as i64) };
        format!("fd_filestat_set_size({fd}, {size}) -> {}", errno(r))
    }

    fn fd_filestat_get(&mut self) -> String {
        let fd = self.fd(false);
        let mut stat = [0u8; 64];
        let r = unsafe { raw::fd_filestat_get(fd as i32, stat.as_mut_ptr() as i32) };
        if r == 0 && self.hides_stdio_type(stat[16]) {
            return format!("fd_filestat_get({fd}) -> stdio");
        }
        if r == 0 {
            format!("fd_filestat_get({fd}) -> {}", describe_filestat(&stat))
        } else {
            format!("fd_filestat_get({fd}) -> {}", errno(r))
        }
    }

    fn path_filestat_get(&mut self) -> String {
        let (dir, lookup, path) = (self.dir_fd(), self.lookupflags(), self.path());
        let mut stat = [0u8; 64];
        let r = unsafe {
            raw::path_filestat_get(
                dir as i32,
                lookup as i32,
                path.as_ptr() as i32,
                path.len() as i32,
                stat.as_mut_ptr() as i32,
            )
        };
        let call = format!(
            "path_filestat_get({dir}, lookup {lookup}, {})",
            quoted(&path)
        );
        if r == 0 {
            format!("{call} -> {}", describe_filestat(&stat))
        } else {
            format!("{call} -> {}", errno(r))
        }
    }

    fn fd_fdstat_get(&mut self) -> String {
        let fd = self.fd(false);
        let mut stat = [0u8; 24];
        let r = unsafe { raw::fd_fdstat_get(fd as i32, stat.as_mut_ptr() as i32) };
        if r != 0 {
            return format!("fd_fdstat_get({fd}) -> {}", errno(r));
        }
        let flags = u16::from_le_bytes([stat[2], stat[3]]);
        let base = u64::from_le_bytes(stat[8..16].try_into().unwrap());
        let inheriting = u64::from_le_bytes(stat[16..24].try_into().unwrap());
        let filetype = if self.hides_stdio_type(stat[0]) {
            "stdio".to_owned()
        } else {
            filetype_name(stat[0])
        };
        if (stat[0] == FILE
            || (stat[0] == 3
                && unsafe { raw::fd_prestat_get(fd as i32, stat.as_mut_ptr() as i32) } != 0))
            && self.avoids(Shape::OpenedFdRights)
        {
            return format!("fd_fdstat_get({fd}) -> {filetype} flags {flags:#x}");
        }
        format!(
            "fd_fdstat_get({fd}) -> {filetype} flags {flags:#x} rights {base:#x}/{inheriting:#x}"
        )
    }

    /// The errno of a call with two paths, or `failed` where that is avoided.
    fn two_path_errno(&self, raw: i32) -> String {
        if raw != 0 && self.avoids(Shape::TwoPathErrnos) {
            "failed".to_owned()
        } else {
            errno(raw)
        }
    }

    /// Whether `filetype` is one stdio may have and is not to be shown.
    fn hides_stdio_type(&self, filetype: u8) -> bool {
        matches!(filetype, 0 | 2) && self.avoids(Shape::StdioFiletype)
    }

    /// `value`, unless it is past what a file system can hold and such
    /// values are avoided.
    fn within_file_system(&self, value: u64) -> u64 {
        if value >= 1 << 44 && self.avoids(Shape::OffsetsPastFileSystemLimit) {
            5000
        } else {
            value
        }
    }

    fn poll_oneoff(&mut self) -> String {
        // Native fails the whole call on an fd it cannot poll in that
        // direction (not open, a directory, not readable or writable), the
        // adapter only that event, on purpose; so only fds that are ready at
        // once in their direction are polled, asked without printing.
        let pollable: Vec<(u32, u8)> = [0, 1, 2]
            .into_iter()
            .chain(self.open.iter().copied())
            .filter(|&f| self.is_open(f))
            .flat_map(|f| {
                let kind = filetype(f);
                let (read, write) = self.mode(f);
                let readable =
                    read && (kind == FILE || (kind == STREAM && !self.avoids(Shape::PollStdin)));
                let writable = write && (kind == FILE || kind == STREAM);
                [(f, 0u8), (f, 1u8)].into_iter().filter(move |&(_, write)| {
                    if write == 1 { writable } else { readable }
                })
            })
            .collect();
        const NEVER: u64 = 3_600_000_000_000;
        let count = self.rng.pick(&[0, 1, 2, 3, 4]);
        // (tag, clock id or fd, timeout, flags), then encoded.
        let mut planned: Vec<(u8, u32, u64, u16)> = Vec::new();
        for _ in 0..count {
            if self.rng.chance(3) || pollable.is_empty() {
                let id = self.rng.below(2) as u32;
                let (timeout, flags) = match self.rng.below(3) {
                    0 => (0u64, 0u16),
                    1 => (NEVER, 0),
                    // An absolute deadline 1 ns after the clock's epoch: passed.
                    _ => (1, 1),
                };
                planned.push((0, id, timeout, flags));
            } else {
                let (fd, write) = self.rng.pick(&pollable);
                planned.push((1 + write, fd, 0, 0));
            }
        }
        let is_file = |fd: u32| filetype(fd) == FILE;
        let file_read = |p: &(u8, u32, u64, u16)| p.0 == 1 && is_file(p.1);
        // Everything but a clock that never expires can be ready.
        let can_be_ready = |p: &(u8, u32, u64, u16)| p.0 != 0 || p.2 != NEVER;
        if self.avoids(Shape::PollMixedReadiness) {
            let others = |i: usize| {
                planned
                    .iter()
                    .enumerate()
                    .any(|(j, p)| j != i && can_be_ready(p))
            };
            let racing: Vec<usize> = (0..planned.len())
                .filter(|&i| file_read(&planned[i]) && others(i))
                .collect();
            for i in racing {
                // A clock that cannot expire during the call instead.
                planned[i] = (0, 1, NEVER, 0);
            }
        }
        if !planned.iter().any(can_be_ready) {
            // Only clocks that never expire: make the last one expired, so
            // the call does not wait an hour.
            if let Some(last) = planned.last_mut() {
                (last.2, last.3) = (0, 0);
            }
        }
        let mut subscriptions = vec![0u8; 48 * count.max(1)];
        let mut described = Vec::new();
        for (i, &(tag, id_or_fd, timeout, flags)) in planned.iter().enumerate() {
            // A subscription is 48 bytes: userdata, tag, then the clock or fd.
            let sub = &mut subscriptions[48 * i..48 * (i + 1)];
            sub[0..8].copy_from_slice(&(100 + i as u64).to_le_bytes());
            sub[8] = tag;
            sub[16..20].copy_from_slice(&id_or_fd.to_le_bytes());
            if tag == 0 {
                sub[24..32].copy_from_slice(&timeout.to_le_bytes());
                sub[40..42].copy_from_slice(&flags.to_le_bytes());
                described.push(format!("clock {id_or_fd} {timeout} flags {flags}"));
            } else {
                let direction = if tag == 2 { "write" } else { "read" };
                described.push(format!("{direction} {id_or_fd}"));
            }
        }
        let mut events = vec![0u8; 32 * count.max(1)];
        let mut stored = 0u32;
        let r = unsafe {
            raw::poll_oneoff(
                subscriptions.as_ptr() as i32,
                events.as_mut_ptr() as i32,
                count as i32,
                &mut stored as *mut u32 as i32,
            )
        };
        let call = format!("poll_oneoff([{}])", described.join(", "));
        if r != 0 {
            return format!("{call} -> {}", errno(r));
        }
        let mut answers: Vec<(u64, String)> = (0..stored as usize)
            .map(|i| {
                let event = &events[32 * i..32 * (i + 1)];
                let userdata = u64::from_le_bytes(event[0..8].try_into().unwrap());
                let error = u16::from_le_bytes([event[8], event[9]]);
                let kind = event[10];
                let flags = u16::from_le_bytes([event[24], event[25]]);
                (
                    userdata,
                    format!(
                        "{userdata}:type {kind} {} flags {flags}",
                        raw_errno_name(error as i32)
                    ),
                )
            })
            .collect();
        answers.sort();
        let answers: Vec<String> = answers.into_iter().map(|(_, a)| a).collect();
        format!("{call} -> [{}]", answers.join(" "))
    }

    fn clock(&mut self) -> String {
        // Native traps on ids past 3 (CPU time, which answers EBADF).
        let id = self.rng.pick(&[0u32, 1, 2, 3]);
        let mut value = 0u64;
        let out = &mut value as *mut u64 as i32;
        if self.rng.chance(2) {
            let r = unsafe { raw::clock_res_get(id as i32, out) };
            format!("clock_res_get({id}) -> {}", errno(r))
        } else {
            let precision = self.rng.pick(&[0u64, 1, u64::MAX]);
            let r = unsafe { raw::clock_time_get(id as i32, precision as i64, out) };
            format!("clock_time_get({id}, {precision}) -> {}", errno(r))
        }
    }

    fn fd_prestat(&mut self) -> String {
        let fd = self.fd(false);
        let mut prestat = [0u32; 2];
        let r = unsafe { raw::fd_prestat_get(fd as i32, prestat.as_mut_ptr() as i32) };
        if r != 0 {
            return format!("fd_prestat_get({fd}) -> {}", errno(r));
        }
        let len = self.rng.pick(&[0usize, 3, prestat[1] as usize, 20]);
        let mut name = vec![0u8; len];
        let r2 =
            unsafe { raw::fd_prestat_dir_name(fd as i32, name.as_mut_ptr() as i32, len as i32) };
        let shown = if r2 == 0 {
            format!(" {}", show_bytes(&name))
        } else {
            String::new()
        };
        format!(
            "fd_prestat_get({fd}) -> tag {} len {}; fd_prestat_dir_name({len} bytes) -> {}{shown}",
            prestat[0] & 0xff,
            prestat[1],
            errno(r2)
        )
    }

    fn fd_fdstat_set_flags(&mut self) -> String {
        let fd = self.fd(true);
        let flags = self.rng.pick(&[0u32, 1, 4, 5, 2, 8, 16]);
        let r = unsafe { raw::fd_fdstat_set_flags(fd as i32, flags as i32) };
        format!("fd_fdstat_set_flags({fd}, {flags:#x}) -> {}", errno(r))
    }

    fn fd_advise_allocate(&mut self) -> String {
        let fd = self.fd(true);
        let offset = self.rng.pick(&[0u64, 10, 1 << 63]);
        let len = self.rng.pick(&[0u64, 10, 1 << 63]);
        if self.rng.chance(2) {
            let advice = self.rng.below(6) as i32;
            let r = unsafe { raw::fd_advise(fd as i32, offset as i64, len as i64, advice) };
            format!("fd_advise({fd}, {offset}, {len}, {advice}) -> {}", errno(r))
        } else {
            let r = unsafe { raw::fd_allocate(fd as i32, offset as i64, len as i64) };
            format!("fd_allocate({fd}, {offset}, {len}) -> {}", errno(r))
        }
    }

    fn fd_sync(&mut self) -> String {
        let fd = self.fd(false);
        if self.rng.chance(2) {
            format!(
                "fd_sync({fd}) -> {}",
                errno(unsafe { raw::fd_sync(fd as i32) })
            )
        } else {
            format!(
                "fd_datasync({fd}) -> {}",
                errno(unsafe { raw::fd_datasync(fd as i32) })
            )
        }
    }

    fn path_readlink(&mut self) -> String {
        let (dir, path) = (self.dir_fd(), self.path());
        let len = self.rng.pick(&[0usize, 1, 3, 64]);
        let mut buf = vec![0u8; len];
        let read = unsafe { wasi::path_readlink(dir, &path, buf.as_mut_ptr(), len) };
        let call = format!("path_readlink({dir}, {}, {len} bytes)", quoted(&path));
        match read {
            Ok(used) => format!("{call} -> {}", show_bytes(&buf[..used])),
            Err(e) => format!("{call} -> {}", errno(e.raw().into())),
        }
    }

    /// Times are set but never printed: only whether the call succeeds.
    fn set_times(&mut self) -> String {
        // Valid flag combinations: each of ATIM/ATIM_NOW and MTIM/MTIM_NOW at most one.
        let mut flags = self.rng.pick(&[0u32, 1, 2, 4, 8, 5, 10, 3, 12]);
        if flags == 0 && self.avoids(Shape::SetTimesUnchanged) {
            flags = 2; // ATIM_NOW
        }
        let time = self
            .rng
            .pick(&[0u64, 1_000_000_000, 1_600_000_000_000_000_000]);
        let on_descriptor = self.rng.chance(2);
        if on_descriptor && !self.avoids(Shape::DescriptorSetTimes) {
            let fd = self.fd(true);
            let r = unsafe {
                raw::fd_filestat_set_times(fd as i32, time as i64, time as i64, flags as i32)
            };
            format!(
                "fd_filestat_set_times({fd}, flags {flags:#x}) -> {}",
                errno(r)
            )
        } else {
            let (dir, lookup, path) = (self.dir_fd(), self.lookupflags(), self.path());
            let r = raw_errno(unsafe {
                wasi::path_filestat_set_times(dir, lookup, &path, time, time, flags as u16)
            });
            format!(
                "path_filestat_set_times({dir}, lookup {lookup}, {}, flags {flags:#x}) -> {}",
                quoted(&path),
                errno(r)
            )
        }
    }

    /// `fd_write` of the 16 bytes at address 0 (ordinary memory, the bottom
    /// of the program's stack area) when that shape is allowed, else a read.
    fn fd_write_from_address_zero_or_read(&mut self) -> String {
        if self.avoids(Shape::AddressZero) {
            return self.fd_read();
        }
        let fd = self.fd(true);
        let iovec = [0u32, 16];
        let mut written = 0u32;
        let r = unsafe {
            raw::fd_write(
                fd as i32,
                iovec.as_ptr() as i32,
                1,
                &mut written as *mut u32 as i32,
            )
        };
        format!("fd_write({fd}, 16 bytes from address 0) -> {}", errno(r))
    }
}

/// Whether `path` is refused by its letters alone: it leaves its directory
/// (absolute, or starting with `..`) or has a name over 255 bytes.
fn wrong_by_its_letters(path: &str) -> bool {
    path.starts_with('/')
        || path == ".."
        || path.starts_with("../")
        || path.split('/').any(|name| name.len() > 255)
}

/// Whether the last component of `path` is `.` or `..`.
fn ends_in_dot_or_dot_dot(path: &str) -> bool {
    matches!(path.rsplit('/').next(), Some(".") | Some(".."))
}

/// `filetype`'s regular file.
const FILE: u8 = 4;
/// What [`filetype`] says for stdio, whatever the host calls it.
const STREAM: u8 = 0;

/// The file type of `fd`, asked without printing anything: `FILE`,
/// `STREAM` for stdio (`UNKNOWN` or `CHARACTER_DEVICE`, which hosts
/// choose differently), the type's number otherwise, 255 for an error.
fn filetype(fd: u32) -> u8 {
    let mut stat = [0u8; 24];
    let r = unsafe { raw::fd_fdstat_get(fd as i32, stat.as_mut_ptr() as i32) };
    match (r, stat[0]) {
        (0, 0 | 2) => STREAM,
        (0, kind) => kind,
        _ => 255,
    }
}

/// Reads into buffers of `lengths` with `call(iovs, count, done, out)` until
/// they are full, the source ends, or it fails, resubmitting what is left
/// after a short read (hosts may fill fewer iovecs per call). Shows the
/// total, a fingerprint and the first bytes, and the errno if one stopped it.
fn transfer_in(lengths: &[usize], mut call: impl FnMut(i32, i32, u64, i32) -> i32) -> String {
    let total: usize = lengths.iter().sum();
    let mut data = vec![0u8; total];
    let base = data.as_mut_ptr() as u32;
    let mut done = 0usize;
    let mut failure = None;
    loop {
        // The iovecs still to fill, in order.
        let mut iovs: Vec<u32> = Vec::new();
        let mut at = 0;
        for &len in lengths {
            let (start, end) = (at.max(done), at + len);
            if start < end || (len == 0 && done == 0) {
                iovs.push(base + start as u32);
                iovs.push((end.max(start) - start) as u32);
            }
            at += len;
        }
        let (r, got) = submit(&mut call, &iovs, done);
        if r != 0 {
            failure = Some(r);
            break;
        }
        done += got;
        if got == 0 || done >= total {
            break;
        }
    }
    let head = &data[..done.min(24)];
    let mut text = format!(
        "read {done} fnv {:016x} {}",
        fnv1a(&data[..done]),
        show_bytes(head)
    );
    if let Some(r) = failure {
        if done == 0 {
            return errno(r);
        }
        text.push_str(&format!(" then {}", errno(r)));
    }
    text
}

/// Makes one `call(iovs, count, done, out)` on `iovs` (address and length
/// pairs), `done` bytes into the transfer: its errno and the bytes it moved.
fn submit(
    call: &mut impl FnMut(i32, i32, u64, i32) -> i32,
    iovs: &[u32],
    done: usize,
) -> (i32, usize) {
    let mut moved = 0u32;
    let r = call(
        iovs.as_ptr() as i32,
        (iovs.len() / 2) as i32,
        done as u64,
        &mut moved as *mut u32 as i32,
    );
    (r, moved as usize)
}

/// Writes `data` split into `pieces` iovecs with `call(iovs, count, done,
/// out)` until all is written or it fails, resubmitting the rest after a
/// short write. Shows the total and the errno if one stopped it.
fn transfer_out(
    data: &[u8],
    pieces: usize,
    mut call: impl FnMut(i32, i32, u64, i32) -> i32,
) -> String {
    let piece = data.len().div_ceil(pieces).max(1);
    let mut done = 0usize;
    loop {
        let mut iovs: Vec<u32> = Vec::new();
        let mut at = 0;
        while at < data.len() || (data.is_empty() && iovs.is_empty()) {
            let end = (at + piece).min(data.len());
            if end > done || data.is_empty() {
                let start = at.max(done);
                iovs.push(data.as_ptr() as u32 + start as u32);
                iovs.push((end - start) as u32);
            }
            if data.is_empty() {
                break;
            }
            at = end;
        }
        let (r, wrote) = submit(&mut call, &iovs, done);
        if r != 0 {
            return if done == 0 {
                errno(r)
            } else {
                format!("wrote {done} then {}", errno(r))
            };
        }
        done += wrote;
        if wrote == 0 || done >= data.len() {
            return format!("wrote {done}");
        }
    }
}
