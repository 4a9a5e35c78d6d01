//! The preview1 descriptor table: which WASI 0.2 resource each fd number
//! stands for.
//!
//! The table starts with stdio only. Preopened directories are discovered
//! the first time an operation needs to know about fds above 2, so a program
//! that only writes to stdout never makes the component import
//! `wasi:filesystem`. Until then, an fd above 2 can only name a preopen (no
//! other fd can have been created yet), which every stream operation rejects
//! with `EBADF` exactly as it would a directory.

use core::cell::Cell;

use crate::abi::{Errno, Fd, Result};
use crate::state::{Once, State};
use crate::wasi::cli;
use crate::wasi::filesystem::{self, PREOPEN_ENTRY_BYTES};
use crate::wasi::io::{InputStream, OutputStream};

/// What an fd refers to. Stored in the arena by value; a zeroed slot reads
/// as `Closed`.
#[derive(Clone, Copy)]
#[repr(C, u32)]
pub enum Descriptor {
    Closed = 0,
    /// Stream handles are fetched on first use; 0 means not yet.
    Stdin { stream: u32 },
    Stdout { stream: u32 },
    Stderr { stream: u32 },
    Directory { handle: u32, preopen: PreopenName },
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

    pub fn bytes<'a>(self) -> &'a [u8] {
        let address = crate::state::region_base() + self.offset as usize;
        // SAFETY: the name was committed to the persistent arena when the
        // preopens were discovered and is never freed; its offset is
        // relative to the current base, so it follows the region when it moves.
        unsafe { core::slice::from_raw_parts(address as *const u8, self.len as usize) }
    }
}

const FIRST_CAPACITY: u32 = 16;
const STDIO_FDS: u32 = 3;

pub struct FdTable {
    /// Offset of the entry array from the base; 0 before first use.
    entries: Cell<u32>,
    len: Cell<u32>,
    capacity: Cell<u32>,
    preopens_discovered: Once,
}

impl FdTable {
    /// The descriptor for `fd`, discovering preopens first if `fd` could be one.
    pub fn get(&self, fd: Fd) -> Result<Descriptor> {
        if fd >= STDIO_FDS {
            self.discover_preopens()?;
        }
        self.get_known(fd)
    }

    /// The descriptor for `fd` if it is a stream (stdio); `EBADF` otherwise.
    /// Never discovers preopens: see the module docs for why that is exact.
    pub fn get_stream(&self, fd: Fd) -> Result<Descriptor> {
        if fd >= STDIO_FDS && !self.preopens_discovered.is_done() {
            return Err(Errno::BADF);
        }
        self.get_known(fd)
    }

    fn get_known(&self, fd: Fd) -> Result<Descriptor> {
        self.ensure_stdio()?;
        if fd >= self.len.get() {
            return Err(Errno::BADF);
        }
        // SAFETY: `fd < len <= capacity`, so the slot is inside the entry
        // array, which holds only values this module wrote (or zeroes).
        match unsafe { self.slot(fd).read() } {
            Descriptor::Closed => Err(Errno::BADF),
            descriptor => Ok(descriptor),
        }
    }

    /// Replaces the entry of an fd that `get` or `get_stream` just returned.
    pub fn set(&self, fd: Fd, descriptor: Descriptor) {
        if fd < self.len.get() {
            // SAFETY: in bounds, as in `get_known`.
            unsafe { self.slot(fd).write(descriptor) }
        }
    }

    /// The output stream behind stdout or stderr, fetched on first use.
    pub fn output_stream(&self, fd: Fd) -> Result<OutputStream> {
        let stream = match self.get_stream(fd)? {
            Descriptor::Stdout { stream: 0 } => {
                let stream = cli::get_stdout();
                self.set(fd, Descriptor::Stdout { stream: stream.0 });
                stream
            }
            Descriptor::Stderr { stream: 0 } => {
                let stream = cli::get_stderr();
                self.set(fd, Descriptor::Stderr { stream: stream.0 });
                stream
            }
            Descriptor::Stdout { stream } | Descriptor::Stderr { stream } => OutputStream(stream),
            _ => return Err(Errno::BADF),
        };
        Ok(stream)
    }

    /// The input stream behind stdin, fetched on first use.
    pub fn input_stream(&self, fd: Fd) -> Result<InputStream> {
        match self.get_stream(fd)? {
            Descriptor::Stdin { stream: 0 } => {
                let stream = cli::get_stdin();
                self.set(fd, Descriptor::Stdin { stream: stream.0 });
                Ok(stream)
            }
            Descriptor::Stdin { stream } => Ok(InputStream(stream)),
            _ => Err(Errno::BADF),
        }
    }

    /// Closes `fd`, releasing whatever resource it held.
    pub fn close(&self, fd: Fd) -> Result<()> {
        match self.get(fd)? {
            Descriptor::Closed => return Err(Errno::BADF),
            Descriptor::Stdin { stream } if stream != 0 => InputStream(stream).drop_handle(),
            Descriptor::Stdout { stream } | Descriptor::Stderr { stream } if stream != 0 => {
                OutputStream(stream).drop_handle()
            }
            Descriptor::Stdin { .. } | Descriptor::Stdout { .. } | Descriptor::Stderr { .. } => {}
            Descriptor::Directory { handle, .. } => filesystem::Descriptor(handle).drop_handle(),
        }
        self.set(fd, Descriptor::Closed);
        Ok(())
    }

    fn slot(&self, fd: Fd) -> *mut Descriptor {
        let address = crate::state::region_base()
            + self.entries.get() as usize
            + fd as usize * core::mem::size_of::<Descriptor>();
        address as *mut Descriptor
    }

    /// Creates the table with the three stdio entries.
    pub fn ensure_stdio(&self) -> Result<()> {
        if self.entries.get() != 0 {
            return Ok(());
        }
        self.reserve(FIRST_CAPACITY)?;
        self.len.set(STDIO_FDS);
        self.set(0, Descriptor::Stdin { stream: 0 });
        self.set(1, Descriptor::Stdout { stream: 0 });
        self.set(2, Descriptor::Stderr { stream: 0 });
        Ok(())
    }

    /// Makes room for `capacity` entries, moving the array if it must grow.
    /// Must run while the call's scratch is empty (see `Arena::alloc_persistent`).
    fn reserve(&self, capacity: u32) -> Result<()> {
        if capacity <= self.capacity.get() {
            return Ok(());
        }
        let capacity = capacity.max(self.capacity.get().saturating_mul(2));
        let entry_bytes = core::mem::size_of::<Descriptor>();
        let bytes = (capacity as usize).checked_mul(entry_bytes).ok_or(Errno::NOMEM)?;
        let arena = &State::get().arena;
        let new_address = arena.alloc_persistent(core::mem::align_of::<Descriptor>(), bytes)?;
        let base = crate::state::region_base();
        if self.entries.get() != 0 {
            let old_address = base + self.entries.get() as usize;
            // SAFETY: both arrays are in the persistent arena, the new one
            // freshly allocated after the old, so they do not overlap; the
            // old one holds `len` initialised entries.
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

    /// Gives each preopened directory the next fd after stdio, once.
    fn discover_preopens(&self) -> Result<()> {
        if self.preopens_discovered.is_done() {
            return Ok(());
        }
        self.preopens_discovered.mark_done();
        self.ensure_stdio()?;
        let arena = &State::get().arena;
        let list = filesystem::get_directories();
        // The names (and the list) were lowered into scratch; keeping them
        // there turns scratch into persistent storage in one step.
        arena.keep_scratch();
        let count = u32::try_from(list.len).map_err(|_| Errno::NOMEM)?;
        self.reserve(self.len.get().checked_add(count).ok_or(Errno::NOMEM)?)?;
        let base = crate::state::region_base();
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
            let preopen = PreopenName { offset: (name_ptr as usize - base) as u32, len: name_len };
            self.set(fd, Descriptor::Directory { handle, preopen });
        }
        Ok(())
    }
}
