//! The preview1 ABI: every constant and memory layout the adapter reads or
//! writes on the program's side, in one place.
//!
//! Layouts are given as byte offsets rather than `repr(C)` structs so that
//! writing into the program's memory never depends on the alignment the
//! program happened to give its buffers.

pub type Fd = u32;

/// A preview1 `errno`, returned by every function but `proc_exit`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct Errno(pub u16);

impl Errno {
    pub const SUCCESS: Errno = Errno(0);
    pub const ACCES: Errno = Errno(2);
    pub const ADDRINUSE: Errno = Errno(3);
    pub const ADDRNOTAVAIL: Errno = Errno(4);
    pub const AGAIN: Errno = Errno(6);
    pub const ALREADY: Errno = Errno(7);
    pub const BADF: Errno = Errno(8);
    pub const BUSY: Errno = Errno(10);
    pub const CONNABORTED: Errno = Errno(13);
    pub const CONNREFUSED: Errno = Errno(14);
    pub const CONNRESET: Errno = Errno(15);
    pub const DEADLK: Errno = Errno(16);
    pub const DQUOT: Errno = Errno(19);
    pub const EXIST: Errno = Errno(20);
    pub const FAULT: Errno = Errno(21);
    pub const FBIG: Errno = Errno(22);
    pub const HOSTUNREACH: Errno = Errno(23);
    pub const ILSEQ: Errno = Errno(25);
    pub const INPROGRESS: Errno = Errno(26);
    pub const INTR: Errno = Errno(27);
    pub const INVAL: Errno = Errno(28);
    pub const IO: Errno = Errno(29);
    pub const ISDIR: Errno = Errno(31);
    pub const LOOP: Errno = Errno(32);
    pub const MLINK: Errno = Errno(34);
    pub const MSGSIZE: Errno = Errno(35);
    pub const NAMETOOLONG: Errno = Errno(37);
    pub const NFILE: Errno = Errno(41);
    pub const NODEV: Errno = Errno(43);
    pub const NOENT: Errno = Errno(44);
    pub const NOLCK: Errno = Errno(46);
    pub const NOMEM: Errno = Errno(48);
    pub const NOSPC: Errno = Errno(51);
    pub const NOTCONN: Errno = Errno(53);
    pub const NOTDIR: Errno = Errno(54);
    pub const NOTEMPTY: Errno = Errno(55);
    pub const NOTRECOVERABLE: Errno = Errno(56);
    pub const NOTSOCK: Errno = Errno(57);
    pub const NOTSUP: Errno = Errno(58);
    pub const NOTTY: Errno = Errno(59);
    pub const NXIO: Errno = Errno(60);
    pub const OVERFLOW: Errno = Errno(61);
    pub const PERM: Errno = Errno(63);
    pub const PIPE: Errno = Errno(64);
    pub const ROFS: Errno = Errno(69);
    pub const SPIPE: Errno = Errno(70);
    pub const TIMEDOUT: Errno = Errno(73);
    pub const TXTBSY: Errno = Errno(74);
    pub const XDEV: Errno = Errno(75);
}

/// What every adapter function computes before it is flattened to an errno.
pub type Result<T> = core::result::Result<T, Errno>;

pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

pub mod fdflags {
    pub const ALL: u16 = 0b11111;
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
}

pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    pub const ALL: u64 = (1 << 30) - 1;
}

/// `riflags` of `sock_recv`.
pub mod riflags {
    pub const RECV_PEEK: u16 = 1 << 0;
    pub const RECV_WAITALL: u16 = 1 << 1;
}

/// `sdflags` of `sock_shutdown`.
pub mod sdflags {
    pub const RD: u8 = 1 << 0;
    pub const WR: u8 = 1 << 1;
}

pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    // 2 is `PROCESS_CPUTIME`, which, like this one, answers `EBADF`.
    pub const THREAD_CPUTIME: u32 = 3;
}

/// `iovec` / `ciovec`: `{ buf: u32, buf_len: u32 }`.
pub mod iovec {
    pub const SIZE: u32 = 8;
    pub const BUF: u32 = 0;
    pub const LEN: u32 = 4;
}

/// `fdstat`: filetype u8, flags u16, two u64 rights masks.
pub mod fdstat {
    pub const SIZE: u32 = 24;
    pub const FILETYPE: u32 = 0;
    pub const FLAGS: u32 = 2;
    pub const RIGHTS_BASE: u32 = 8;
    pub const RIGHTS_INHERITING: u32 = 16;
}

/// `prestat`: a tag (0 = directory) and the directory name's length.
pub mod prestat {
    pub const SIZE: u32 = 8;
    pub const TAG: u32 = 0;
    pub const TAG_DIR: u8 = 0;
    pub const NAME_LEN: u32 = 4;
}

/// `subscription`: userdata, then a tagged union of clock or fd payloads.
pub mod subscription {
    pub const SIZE: u32 = 48;
    pub const USERDATA: u32 = 0;
    pub const TAG: u32 = 8;
    pub const CLOCK_ID: u32 = 16;
    pub const CLOCK_TIMEOUT: u32 = 24;
    pub const CLOCK_FLAGS: u32 = 40;
    pub const FD: u32 = 16;
    /// `subclockflags::subscription_clock_abstime`.
    pub const ABSTIME: u16 = 1;
}

/// `eventtype`, shared by subscriptions and events.
pub mod eventtype {
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
}

/// `event`: userdata, errno, type, then the fd payload.
pub mod event {
    pub const SIZE: u32 = 32;
    pub const USERDATA: u32 = 0;
    pub const ERROR: u32 = 8;
    pub const TYPE: u32 = 10;
    pub const NBYTES: u32 = 16;
    pub const FLAGS: u32 = 24;
    /// `eventrwflags::fd_readwrite_hangup`.
    pub const HANGUP: u16 = 1;
}

/// `filestat`: device, inode, type, links, size and three timestamps.
pub mod filestat {
    pub const SIZE: u32 = 64;
    pub const DEV: u32 = 0;
    pub const INO: u32 = 8;
    pub const FILETYPE: u32 = 16;
    pub const NLINK: u32 = 24;
    pub const FILE_SIZE: u32 = 32;
    pub const ATIM: u32 = 40;
    pub const MTIM: u32 = 48;
    pub const CTIM: u32 = 56;
}

/// `dirent`: the header `fd_readdir` writes before each name.
pub mod dirent {
    pub const SIZE: u32 = 24;
    pub const NEXT: u32 = 0;
    pub const INO: u32 = 8;
    pub const NAMLEN: u32 = 16;
    pub const TYPE: u32 = 20;
}

/// `oflags`; the bits are the same as WASI 0.2's `open-flags`.
pub mod oflags {
    pub const ALL: u16 = 0b1111;
    pub const CREAT: u32 = 1 << 0;
    pub const DIRECTORY: u32 = 1 << 1;
    pub const EXCL: u32 = 1 << 2;
    pub const TRUNC: u32 = 1 << 3;
}

/// `lookupflags`; bit 0 is the same as WASI 0.2's `path-flags`.
pub mod lookupflags {
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags`.
pub mod fstflags {
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
    pub const ALL: u16 = 0b1111;
}

/// `whence`.
pub mod whence {
    pub const SET: u32 = 0;
    pub const CUR: u32 = 1;
    pub const END: u32 = 2;
}

/// How many bytes of arrays and buffers native preview1 copies for one call
/// (Wasmtime's default host-call fuel): an iovec or subscription array, plus
/// the buffer it uses, beyond this answers `ENOMEM` there. The adapter
/// checks guest counts against it the same way, before they size anything.
pub const NATIVE_COPY_BUDGET: u64 = 128 << 20;

/// The highest `advice` value.
pub const ADVICE_MAX: u32 = 5;
