//! The preview1 descriptor table: which WASI 0.2 resource each fd number
//! stands for.
//!
//! The table starts with stdio and any listening sockets the host handed
//! over (see `sockets::listener`). Preopened directories are discovered
//! the first time an operation needs to know about fds above 2, so a program
//! that only writes never makes the component import
//! `wasi:filesystem/preopens` (and, given the stdio build, `Preopens`, no
//! `wasi:filesystem` at all; given the preopens build, `Files`, no code for
//! regular files; nor, outside the listener build, `Sockets`, any
//! `wasi:sockets`). Until then, an fd above 2 can only name a
//! preopen (no other fd can have been created yet), which every stream
//! operation rejects with `EBADF` exactly as it would a directory.
//!
//! The table's bookkeeping is plain data in the state (`state::FdTable`);
//! its operations are here. The table is an array in the persistent arena
//! that doubles when full, so
//! it has no fixed limit. New fds reuse the highest closed number first, as
//! native preview1 does, so programs see the same fd numbers on both.

use crate::abi::{Errno, Fd, Result};
use crate::listings::{self, ListingRef};
use crate::state::{FdTable, State, region_base};
use crate::wasi::cli;
use crate::wasi::filesystem::{self, PREOPEN_ENTRY_BYTES, descriptor_type};
use crate::wasi::io::{InputStream, OutputStream};
use crate::wasi::sockets::TcpSocket;

/// Whether this build can hold regular files, and directories other than
/// the preopens: what `path_open` creates. The `stdio`, `proxy` and
/// `preopens` builds cannot (a proxy's world has no filesystem), so there
/// the type is uninhabited, each of those entries is too, and every match
/// arm for one compiles away with the 0.2 imports it uses.
///
/// The `stdio` build is given only to programs importing no preview1
/// function that answers differently for a preopened directory than for an
/// fd that is not open (`adapter-build`'s `STDIO_FUNCTIONS`): for them,
/// preopens the host grants may as well not be discovered, and nothing else
/// can be opened. The `preopens` build is given to programs importing no
/// preview1 function that opens anything or lists a directory
/// (`PREOPENS_FUNCTIONS`): they hold the preopens and nothing else.
#[derive(Clone, Copy)]
pub enum Files {
    #[cfg(not(any(feature = "stdio", feature = "proxy", feature = "preopens")))]
    Possible,
}

impl Files {
    /// The root of every file and directory `path_open` creates.
    #[cfg(not(any(feature = "stdio", feature = "proxy", feature = "preopens")))]
    pub const ROOT: Option<Files> = Some(Files::Possible);
    #[cfg(any(feature = "stdio", feature = "proxy", feature = "preopens"))]
    pub const ROOT: Option<Files> = None;
}

/// Whether this build can hold the preopened directories: all but the
/// `stdio` and `proxy` builds (see `Files`), where a directory entry is
/// uninhabited.
#[derive(Clone, Copy)]
pub enum Preopens {
    #[cfg(not(any(feature = "stdio", feature = "proxy")))]
    Possible,
}

impl Preopens {
    #[cfg(not(any(feature = "stdio", feature = "proxy")))]
    const ROOT: Option<Preopens> = Some(Preopens::Possible);
    #[cfg(any(feature = "stdio", feature = "proxy"))]
    const ROOT: Option<Preopens> = None;
}

/// Whether this build can hold sockets: only the `listener` build puts
/// listeners in the table, and connections come only from accepting on one.
/// Elsewhere it is uninhabited, and so are socket entries: their match arms,
/// and the `wasi:sockets` imports they use, compile away.
#[derive(Clone, Copy)]
pub enum Sockets {
    #[cfg(feature = "listener")]
    Possible,
}

/// What an fd refers to. Stored in the arena by value; a zeroed slot reads
/// as `Closed`.
#[derive(Clone, Copy)]
#[repr(C, u32)]
pub enum FdEntry {
    Closed = 0,
    /// Stream handles are fetched on first use; 0 means not yet.
    Stdin {
        stream: u32,
    },
    Stdout {
        stream: u32,
    },
    Stderr {
        stream: u32,
    },
    Directory(Directory),
    File(File),
    /// What `path_open` opened, before anything asked whether it is a
    /// directory: the fields a file would keep, with nothing read or
    /// written yet. Closing, renumbering and `fd_filestat_get` need no
    /// type, so an open and close costs no `get-type`; every other use
    /// turns it into a `File` or a `Directory` first (see `get_known`).
    Untyped(File),
    /// A listening TCP socket the host handed over at startup. Only the
    /// `listener` build creates one (see `Sockets`).
    #[cfg_attr(not(feature = "listener"), allow(dead_code))]
    Listener(Listener),
    /// A TCP connection taken from a listener.
    Connection(Connection),
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct Directory {
    pub handle: filesystem::Descriptor,
    pub origin: Origin,
    /// The listing in progress, if `fd_readdir` has been called.
    pub listing: Option<ListingRef>,
}

impl Directory {
    /// The preopen's name, if it is one: always, in the `preopens` build.
    pub fn preopen(&self) -> Option<PreopenName> {
        match self.origin {
            Origin::Preopen(name, _) => Some(name),
            Origin::Opened(_) => None,
        }
    }
}

/// Where a directory came from. Each kind carries its build's marker, so
/// that a build that cannot hold one kind compiles away the code for it.
#[derive(Clone, Copy)]
#[repr(C, u32)]
pub enum Origin {
    /// Opened by `path_open`.
    Opened(Files),
    /// Granted by the host, under this name.
    Preopen(PreopenName, Preopens),
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct File {
    pub handle: filesystem::Descriptor,
    /// `fdflags::APPEND` and `fdflags::NONBLOCK`, the only ones preview1
    /// lets a file change.
    pub flags: u16,
    /// Whether it was opened for reading and for writing; checked by the
    /// adapter because some hosts fail outright instead of answering `EBADF`.
    pub readable: bool,
    pub writable: bool,
    pub position: u64,
    pub files: Files,
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct Listener {
    pub socket: TcpSocket,
    /// `fdflags::NONBLOCK` or nothing.
    pub flags: u16,
    pub sockets: Sockets,
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct Connection {
    pub socket: TcpSocket,
    pub input: InputStream,
    pub output: OutputStream,
    /// `fdflags::NONBLOCK` or nothing.
    pub flags: u16,
    pub sockets: Sockets,
}

/// Where a preopen's guest path sits in the persistent arena.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct PreopenName {
    offset: u32,
    len: u32,
}

impl PreopenName {
    pub fn len(self) -> u32 {
        self.len
    }

    /// The name's bytes, borrowed for no longer than this copy of the entry
    /// (taken from the table in the current call): the region, and the name
    /// with it, may move once the call returns.
    pub fn bytes(&self) -> &[u8] {
        let address = region_base() + self.offset as usize;
        // SAFETY: the name was committed to the persistent arena when the
        // preopens were discovered and is never freed; its offset is
        // relative to the current base, and the region cannot move while
        // the adapter runs.
        unsafe { core::slice::from_raw_parts(address as *const u8, self.len as usize) }
    }
}

const FIRST_CAPACITY: u32 = 16;
const STDIO_FDS: u32 = 3;

impl FdTable {
    /// The descriptor for `fd`, discovering preopens first if `fd` could be one.
    pub fn get(&self, fd: Fd) -> Result<FdEntry> {
        if fd >= STDIO_FDS {
            self.discover_preopens()?;
        }
        self.get_known(fd)
    }

    /// The descriptor for `fd`, for operations that reject directories with
    /// `EBADF`. Never discovers preopens: before discovery every fd past the
    /// ones already known (stdio and the host's listeners) can only be a
    /// preopened directory (see the module docs).
    pub fn get_without_preopen_discovery(&self, fd: Fd) -> Result<FdEntry> {
        if fd >= self.len.get() && !self.preopens_discovered.is_set() {
            return Err(Errno::BADF);
        }
        self.get_known(fd)
    }

    /// `fd` as a regular file.
    pub fn file(&self, fd: Fd) -> Result<File> {
        match self.get(fd)? {
            FdEntry::File(file) => Ok(file),
            _ => Err(Errno::BADF),
        }
    }

    /// `fd` as a file that has a position: stdio answers `ESPIPE`.
    pub fn seekable(&self, fd: Fd) -> Result<File> {
        match self.get(fd)? {
            FdEntry::File(file) => Ok(file),
            FdEntry::Stdin { .. }
            | FdEntry::Stdout { .. }
            | FdEntry::Stderr { .. }
            | FdEntry::Listener(_)
            | FdEntry::Connection(_) => Err(Errno::SPIPE),
            _ => Err(Errno::BADF),
        }
    }

    /// `fd` as a directory.
    pub fn directory(&self, fd: Fd) -> Result<Directory> {
        match self.get(fd)? {
            FdEntry::Directory(directory) => Ok(directory),
            _ => Err(Errno::BADF),
        }
    }

    /// What `read` takes from `fd`'s entry, read in place so that only the
    /// fields it uses are loaded (a whole entry is 32 bytes); an `Untyped`
    /// entry learns its type first. A closed slot reaches `read` as
    /// `Closed`, which it must answer with `EBADF`.
    #[inline(always)]
    pub fn read_in_place<R>(&self, fd: Fd, read: impl Fn(&FdEntry) -> Result<R>) -> Result<R> {
        if fd >= STDIO_FDS {
            self.discover_preopens()?;
        }
        if fd >= self.len.get() {
            return Err(Errno::BADF);
        }
        // SAFETY: `fd < len <= capacity`, so the slot is inside the entry
        // array, which holds only values this module wrote (or zeroes); the
        // reference ends with `read`, which cannot grow the table.
        let slot = unsafe { &*self.slot(fd) };
        if let FdEntry::Untyped(_) = slot {
            return read(&self.get_known(fd)?);
        }
        read(slot)
    }

    /// The handle of directory `fd`: all that most path calls need.
    pub fn directory_handle(&self, fd: Fd) -> Result<filesystem::Descriptor> {
        self.read_in_place(fd, |entry| match entry {
            FdEntry::Directory(directory) => Ok(directory.handle),
            _ => Err(Errno::BADF),
        })
    }

    /// The filesystem resource behind a file or directory fd.
    pub fn filesystem_handle(&self, fd: Fd) -> Result<filesystem::Descriptor> {
        match self.get(fd)? {
            FdEntry::File(file) => Ok(file.handle),
            FdEntry::Directory(directory) => Ok(directory.handle),
            _ => Err(Errno::BADF),
        }
    }

    /// The descriptor for `fd`, with its type found out if it was not yet.
    fn get_known(&self, fd: Fd) -> Result<FdEntry> {
        if fd >= self.len.get() {
            return Err(Errno::BADF);
        }
        // SAFETY: as in `get_untyped_known`.
        match unsafe { self.slot(fd).read() } {
            FdEntry::Closed => Err(Errno::BADF),
            FdEntry::Untyped(file) => self.learn_type(fd, file),
            descriptor => Ok(descriptor),
        }
    }

    /// The descriptor for `fd`, which may be `Untyped`: for the operations
    /// that need no type (closing, renumbering, `fd_filestat_get`).
    pub fn get_untyped(&self, fd: Fd) -> Result<FdEntry> {
        if fd >= STDIO_FDS {
            self.discover_preopens()?;
        }
        self.get_untyped_known(fd)
    }

    fn get_untyped_known(&self, fd: Fd) -> Result<FdEntry> {
        if fd >= self.len.get() {
            return Err(Errno::BADF);
        }
        // SAFETY: `fd < len <= capacity`, so the slot is inside the entry
        // array, which holds only values this module wrote (or zeroes).
        match unsafe { self.slot(fd).read() } {
            FdEntry::Closed => Err(Errno::BADF),
            descriptor => Ok(descriptor),
        }
    }

    /// Asks the host what an `Untyped` fd is, once, and keeps the answer.
    #[inline(never)]
    fn learn_type(&self, fd: Fd, file: File) -> Result<FdEntry> {
        let descriptor = match file.handle.get_type()? {
            descriptor_type::DIRECTORY => FdEntry::Directory(Directory {
                handle: file.handle,
                origin: Origin::Opened(file.files),
                listing: None,
            }),
            _ => FdEntry::File(file),
        };
        self.set(fd, descriptor);
        Ok(descriptor)
    }

    /// Replaces the entry of an fd that `get` just returned.
    pub fn set(&self, fd: Fd, descriptor: FdEntry) {
        if fd < self.len.get() {
            // SAFETY: in bounds, as in `get_known`.
            unsafe { self.slot(fd).write(descriptor) }
        }
    }

    /// The output stream behind stdout or stderr, fetched on first use;
    /// `entry` is what the caller read for `fd` in this call.
    pub fn output_stream(&self, fd: Fd, entry: FdEntry) -> Result<OutputStream> {
        let stream = match entry {
            FdEntry::Stdout { stream: 0 } => {
                let stream = cli::get_stdout();
                self.set(fd, FdEntry::Stdout { stream: stream.0 });
                stream
            }
            FdEntry::Stderr { stream: 0 } => {
                let stream = cli::get_stderr();
                self.set(fd, FdEntry::Stderr { stream: stream.0 });
                stream
            }
            FdEntry::Stdout { stream } | FdEntry::Stderr { stream } => OutputStream(stream),
            _ => return Err(Errno::BADF),
        };
        Ok(stream)
    }

    /// The output stream of `fd` if it is stdout or stderr (wherever the
    /// program has moved it), read in place: all a small stdio write needs.
    /// `None` for anything else, including an fd that is not open (or a
    /// table not made yet), which the general path answers.
    #[inline(always)]
    pub fn stdio_output_stream(&self, fd: Fd) -> Option<OutputStream> {
        if fd >= self.len.get() {
            return None;
        }
        // SAFETY: in bounds, as in `read_in_place`; only the entry's kind
        // and stream are read.
        match unsafe { &*self.slot(fd) } {
            &FdEntry::Stdout { stream } | &FdEntry::Stderr { stream } if stream != 0 => {
                Some(OutputStream(stream))
            }
            FdEntry::Stdout { .. } | FdEntry::Stderr { .. } => match self.first_output_stream(fd) {
                0 => None,
                stream => Some(OutputStream(stream)),
            },
            _ => None,
        }
    }

    /// `stdio_output_stream` at the fd's first use: the stream's handle, or
    /// 0 (never a handle) for none. Out of line and answering a plain
    /// integer, so that the usual case needs no stack frame for it.
    #[cold]
    #[inline(never)]
    fn first_output_stream(&self, fd: Fd) -> u32 {
        match self
            .get_known(fd)
            .and_then(|entry| self.output_stream(fd, entry))
        {
            Ok(stream) => stream.0,
            Err(_) => 0,
        }
    }

    /// The input stream behind stdin, fetched on first use; `entry` is what
    /// the caller read for `fd` in this call.
    pub fn input_stream(&self, fd: Fd, entry: FdEntry) -> Result<InputStream> {
        match entry {
            FdEntry::Stdin { stream: 0 } => {
                let stream = cli::get_stdin();
                self.set(fd, FdEntry::Stdin { stream: stream.0 });
                Ok(stream)
            }
            FdEntry::Stdin { stream } => Ok(InputStream(stream)),
            _ => Err(Errno::BADF),
        }
    }

    /// Makes sure one more fd can be added. Call it before the call uses any
    /// scratch, since the table lives in the persistent arena.
    pub fn reserve_one(&self) -> Result<()> {
        self.discover_preopens()?;
        if self.closed.get() > 0 {
            return Ok(());
        }
        self.reserve(self.len.get().checked_add(1).ok_or(Errno::NOMEM)?)
    }

    /// Gives `descriptor` the highest closed fd, or a new one past the end.
    /// `reserve_one` must have run earlier in the call.
    pub fn insert(&self, descriptor: FdEntry) -> Result<Fd> {
        let fd = if self.closed.get() > 0 {
            let mut fd = self.len.get();
            loop {
                fd = fd.checked_sub(1).ok_or(Errno::NOMEM)?;
                if self.get_untyped_known(fd).is_err() {
                    break;
                }
            }
            self.closed.set(self.closed.get() - 1);
            fd
        } else {
            let fd = self.len.get();
            if fd >= self.capacity.get() {
                return Err(Errno::NOMEM);
            }
            self.len.set(fd + 1);
            fd
        };
        self.set(fd, descriptor);
        Ok(fd)
    }

    /// Gives `descriptor` the next fd ahead of the preopens, which come after
    /// stdio and whatever was added this way. Only for setting up the table
    /// before the program runs.
    #[cfg(feature = "listener")]
    pub fn add_before_preopens(&self, descriptor: FdEntry) -> Result<Fd> {
        if self.preopens_discovered.is_set() {
            return Err(Errno::BUSY);
        }
        let fd = self.len.get();
        self.reserve(fd.checked_add(1).ok_or(Errno::NOMEM)?)?;
        self.len.set(fd + 1);
        self.set(fd, descriptor);
        Ok(fd)
    }

    /// Closes `fd`, releasing whatever resource it held.
    pub fn close(&self, fd: Fd) -> Result<()> {
        if fd >= STDIO_FDS {
            self.discover_preopens()?;
        }
        if fd >= self.len.get() {
            return Err(Errno::BADF);
        }
        let slot = self.slot(fd);
        // SAFETY: in bounds, as in `get_untyped_known`; the entry is read in
        // place (only the fields its kind holds), then overwritten.
        unsafe {
            if let FdEntry::Closed = &*slot {
                return Err(Errno::BADF);
            }
            release(&*slot);
            slot.write(FdEntry::Closed);
        }
        self.closed.set(self.closed.get() + 1);
        Ok(())
    }

    /// Moves `from` to `to`, closing whatever `to` held. Both must be open,
    /// as in native preview1: programs that "save" a descriptor by moving it
    /// to a free number rely on that failing with `EBADF`.
    pub fn renumber(&self, from: Fd, to: Fd) -> Result<()> {
        let descriptor = self.get_untyped(from)?;
        let replaced = self.get_untyped(to)?;
        if from == to {
            return Ok(());
        }
        release(&replaced);
        self.set(to, descriptor);
        self.set(from, FdEntry::Closed);
        self.closed.set(self.closed.get() + 1);
        Ok(())
    }

    fn slot(&self, fd: Fd) -> *mut FdEntry {
        let address = region_base()
            + self.entries.get() as usize
            + fd as usize * core::mem::size_of::<FdEntry>();
        address as *mut FdEntry
    }

    /// Creates the table with the three stdio entries. Runs on every call,
    /// so the check is inlined there and the creation is not.
    #[inline(always)]
    pub fn ensure_stdio(&self) -> Result<()> {
        if self.entries.get() != 0 {
            return Ok(());
        }
        self.create_stdio()
    }

    #[inline(never)]
    fn create_stdio(&self) -> Result<()> {
        self.reserve(FIRST_CAPACITY)?;
        self.len.set(STDIO_FDS);
        self.set(0, FdEntry::Stdin { stream: 0 });
        self.set(1, FdEntry::Stdout { stream: 0 });
        self.set(2, FdEntry::Stderr { stream: 0 });
        Ok(())
    }

    /// Makes room for `capacity` entries, moving the array if it must grow.
    /// Must run while the call's scratch is empty (see `Arena::alloc_persistent`).
    fn reserve(&self, capacity: u32) -> Result<()> {
        if capacity <= self.capacity.get() {
            return Ok(());
        }
        let capacity = capacity.max(self.capacity.get().saturating_mul(2));
        let entry_bytes = core::mem::size_of::<FdEntry>();
        let bytes = (capacity as usize)
            .checked_mul(entry_bytes)
            .ok_or(Errno::NOMEM)?;
        let align = core::mem::align_of::<FdEntry>();
        let new_address = State::with(|state| state.arena.alloc_persistent(align, bytes))?;
        let base = region_base();
        if self.entries.get() != 0 {
            let old_address = base + self.entries.get() as usize;
            // SAFETY: both arrays are in the persistent arena, the new one
            // freshly allocated after the old, so they do not overlap; the
            // old one holds `len` initialised entries. The new array comes
            // zeroed, so its tail reads as closed slots.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    old_address as *const u8,
                    new_address as *mut u8,
                    self.len.get() as usize * entry_bytes,
                )
            };
        }
        self.entries.set((new_address - base) as u32);
        self.capacity.set(capacity);
        Ok(())
    }

    /// Gives each preopened directory the next fd after stdio, once. The
    /// check is inlined, since every call on an fd above 2 makes it.
    #[inline(always)]
    fn discover_preopens(&self) -> Result<()> {
        if self.preopens_discovered.is_set() {
            return Ok(());
        }
        self.discover_preopens_now()
    }

    #[inline(never)]
    fn discover_preopens_now(&self) -> Result<()> {
        self.preopens_discovered.set();
        let Some(preopens) = Preopens::ROOT else {
            return Ok(());
        };
        let list = filesystem::get_directories();
        // The names (and the list) were lowered into scratch; keeping them
        // there turns scratch into persistent storage in one step.
        State::with(|state| state.arena.keep_scratch());
        let count = u32::try_from(list.len).map_err(|_| Errno::NOMEM)?;
        self.reserve(self.len.get().checked_add(count).ok_or(Errno::NOMEM)?)?;
        let base = region_base();
        for index in 0..list.len {
            let entry = list.ptr + index * PREOPEN_ENTRY_BYTES;
            // SAFETY: the host lowered `list.len` entries of
            // `PREOPEN_ENTRY_BYTES` at `list.ptr`, and they are now persistent.
            let (handle, name_ptr, name_len) = unsafe {
                let words = entry as *const u32;
                (words.read(), words.add(1).read(), words.add(2).read())
            };
            let fd = self.len.get();
            self.len.set(fd + 1);
            let preopen = PreopenName {
                offset: (name_ptr as usize - base) as u32,
                len: name_len,
            };
            self.set(
                fd,
                FdEntry::Directory(Directory {
                    handle: filesystem::Descriptor(handle),
                    origin: Origin::Preopen(preopen, preopens),
                    listing: None,
                }),
            );
        }
        Ok(())
    }
}

/// Releases the resources an fd held.
fn release(descriptor: &FdEntry) {
    match descriptor {
        &FdEntry::Stdin { stream } if stream != 0 => InputStream(stream).drop_handle(),
        &FdEntry::Stdout { stream } | &FdEntry::Stderr { stream } if stream != 0 => {
            OutputStream(stream).drop_handle()
        }
        FdEntry::Directory(directory) => {
            if let Some(listing) = directory.listing {
                listings::release(listing);
            }
            directory.handle.drop_handle()
        }
        FdEntry::File(file) | FdEntry::Untyped(file) => file.handle.drop_handle(),
        FdEntry::Listener(listener) => listener.socket.drop_handle(),
        FdEntry::Connection(connection) => {
            // The streams are the socket's children and must go first.
            connection.input.drop_handle();
            connection.output.drop_handle();
            connection.socket.drop_handle();
        }
        FdEntry::Closed
        | FdEntry::Stdin { .. }
        | FdEntry::Stdout { .. }
        | FdEntry::Stderr { .. } => {}
    }
}
