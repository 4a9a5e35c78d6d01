//! `wasi:io`: streams, pollables and errors.

use super::{RawBytes, RawList, ReturnArea};

#[link(wasm_import_module = "wasi:io/error@0.2.12")]
unsafe extern "C" {
    #[link_name = "[resource-drop]error"]
    fn drop_error(handle: u32);
}

#[link(wasm_import_module = "wasi:io/poll@0.2.12")]
unsafe extern "C" {
    #[link_name = "poll"]
    fn poll_import(pollables: *const u32, len: usize, ret: *mut u8);
    #[link_name = "[method]pollable.block"]
    fn pollable_block(handle: u32);
    #[link_name = "[method]pollable.ready"]
    fn pollable_ready(handle: u32) -> u32;
    #[link_name = "[resource-drop]pollable"]
    fn drop_pollable(handle: u32);
}

#[link(wasm_import_module = "wasi:io/streams@0.2.12")]
unsafe extern "C" {
    #[link_name = "[method]input-stream.read"]
    fn input_read(handle: u32, len: u64, ret: *mut u8);
    #[link_name = "[method]input-stream.blocking-read"]
    fn input_blocking_read(handle: u32, len: u64, ret: *mut u8);
    #[link_name = "[method]input-stream.subscribe"]
    fn input_subscribe(handle: u32) -> u32;
    #[link_name = "[resource-drop]input-stream"]
    fn drop_input_stream(handle: u32);
    #[link_name = "[method]output-stream.check-write"]
    fn output_check_write(handle: u32, ret: *mut u8);
    #[link_name = "[method]output-stream.write"]
    fn output_write(handle: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]output-stream.blocking-write-and-flush"]
    fn output_blocking_write_and_flush(handle: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]output-stream.flush"]
    fn output_flush(handle: u32, ret: *mut u8);
    #[link_name = "[method]output-stream.blocking-flush"]
    fn output_blocking_flush(handle: u32, ret: *mut u8);
    #[link_name = "[method]output-stream.subscribe"]
    fn output_subscribe(handle: u32) -> u32;
    #[link_name = "[resource-drop]output-stream"]
    fn drop_output_stream(handle: u32);
}

/// `stream-error`, with the `error` resource already released: the adapter
/// only needs to know which of the two cases happened.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StreamError {
    LastOperationFailed,
    Closed,
}

/// Decodes a `stream-error` that starts at `offset` of a return area,
/// releasing the `error` resource it may carry.
fn stream_error_at(ret: &ReturnArea, offset: usize) -> StreamError {
    if ret.u8_at(offset) == 0 {
        // SAFETY: the host just handed us this owned `error` handle.
        unsafe { drop_error(ret.u32_at(offset + 4)) };
        StreamError::LastOperationFailed
    } else {
        StreamError::Closed
    }
}

/// `result<_, stream-error>`: discriminant at 0, error payload at 4.
fn unit_result(ret: &ReturnArea) -> Result<(), StreamError> {
    if ret.u8_at(0) == 0 {
        Ok(())
    } else {
        Err(stream_error_at(ret, 4))
    }
}

/// `result<list<u8>, stream-error>`.
fn bytes_result(ret: &ReturnArea) -> Result<RawBytes, StreamError> {
    if ret.u8_at(0) == 0 {
        Ok(RawBytes {
            ptr: ret.u32_at(4) as usize as *const u8,
            len: ret.u32_at(8) as usize,
        })
    } else {
        Err(stream_error_at(ret, 4))
    }
}

pub struct Pollable(u32);

impl Pollable {
    pub fn from_handle(handle: u32) -> Pollable {
        Pollable(handle)
    }

    pub fn handle(&self) -> u32 {
        self.0
    }

    pub fn block(&self) {
        // SAFETY: `self` owns a live pollable handle.
        unsafe { pollable_block(self.0) }
    }
}

impl Drop for Pollable {
    fn drop(&mut self) {
        // SAFETY: `self` owns the handle and this is its only release.
        unsafe { drop_pollable(self.0) }
    }
}

/// Blocks until at least one of `handles` is ready and returns the indices
/// of the ready ones, as a list the host lowered into the import arena.
pub fn poll(handles: &[u32]) -> RawList {
    let mut ret = ReturnArea::new();
    // SAFETY: `handles` is a live slice of borrowed pollable handles; the
    // host writes a `list<u32>` into `ret`.
    unsafe { poll_import(handles.as_ptr(), handles.len(), ret.as_mut_ptr()) };
    ret.list_at(0)
}

/// Whether the pollable `handle` (borrowed) is ready now, without waiting.
pub fn is_ready(handle: u32) -> bool {
    // SAFETY: `handle` is a live pollable; the result is a bool.
    unsafe { pollable_ready(handle) != 0 }
}

/// A borrowed `input-stream`: the fd table owns the handle.
#[derive(Clone, Copy)]
pub struct InputStream(pub u32);

impl InputStream {
    /// Reads up to `len` bytes, waiting for at least one. The bytes land
    /// wherever the import arena directs the next allocation.
    pub fn blocking_read(self, len: u64) -> Result<RawBytes, StreamError> {
        let mut ret = ReturnArea::new();
        // SAFETY: live handle; the host writes a `result<list<u8>, stream-error>`.
        unsafe { input_blocking_read(self.0, len, ret.as_mut_ptr()) };
        bytes_result(&ret)
    }

    /// Reads up to `len` bytes of what has already arrived, possibly none.
    pub fn read(self, len: u64) -> Result<RawBytes, StreamError> {
        let mut ret = ReturnArea::new();
        // SAFETY: `self.0` is a live stream and `ret` fits the result.
        unsafe { input_read(self.0, len, ret.as_mut_ptr()) };
        bytes_result(&ret)
    }

    pub fn subscribe(self) -> Pollable {
        // SAFETY: live handle; the result is a new owned pollable.
        Pollable(unsafe { input_subscribe(self.0) })
    }

    /// Releases the handle; the caller must not use `self` again.
    pub fn drop_handle(self) {
        // SAFETY: the fd table hands each stream to exactly one drop.
        unsafe { drop_input_stream(self.0) }
    }
}

/// A borrowed `output-stream`: the fd table owns the handle.
#[derive(Clone, Copy)]
pub struct OutputStream(pub u32);

/// The largest write `blocking-write-and-flush` accepts.
pub const BLOCKING_WRITE_LIMIT: usize = 4096;

impl OutputStream {
    /// Writes all of `bytes` and flushes them, with as few host calls as the
    /// stream allows: one for small writes, otherwise as many `write`s as the
    /// stream's budget needs and one flush.
    ///
    /// The stdio and preopens builds, where only stdout and stderr can be
    /// written, write in `blocking-write-and-flush` chunks instead:
    /// one host call per 4 KiB on large writes, but `check-write`, `write`
    /// and `blocking-flush` (about 1.4 KB of every component, in a hello
    /// world that is a sixth of what the adapter adds) are never imported.
    pub fn write_all(self, bytes: &[u8]) -> Result<(), StreamError> {
        if bytes.len() <= BLOCKING_WRITE_LIMIT || cfg!(any(feature = "stdio", feature = "preopens"))
        {
            let mut rest = bytes;
            loop {
                let (chunk, tail) = rest.split_at(rest.len().min(BLOCKING_WRITE_LIMIT));
                self.blocking_write_and_flush(chunk, &mut ReturnArea::new())?;
                if tail.is_empty() {
                    return Ok(());
                }
                rest = tail;
            }
        }
        let mut ret = ReturnArea::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let budget = self.check_write()?;
            if budget == 0 {
                // It returns once the stream is ready for writing again, as
                // waiting on its pollable would, without importing
                // `wasi:io/poll` into every program that writes.
                // SAFETY: live handle.
                unsafe { output_blocking_flush(self.0, ret.as_mut_ptr()) };
                unit_result(&ret)?;
                continue;
            }
            let chunk = rest
                .len()
                .min(usize::try_from(budget).unwrap_or(usize::MAX));
            // SAFETY: `chunk <= rest.len()`, so the range is inside `rest`.
            unsafe { output_write(self.0, rest.as_ptr(), chunk, ret.as_mut_ptr()) };
            unit_result(&ret)?;
            rest = rest.get(chunk..).unwrap_or(&[]);
        }
        // SAFETY: live handle.
        unsafe { output_blocking_flush(self.0, ret.as_mut_ptr()) };
        unit_result(&ret)
    }

    /// One `blocking-write-and-flush` of at most `BLOCKING_WRITE_LIMIT` bytes,
    /// with `ret` for the host's answer; inlined into `fd_write`'s small
    /// stdio writes.
    #[inline(always)]
    pub fn blocking_write_and_flush(
        self,
        chunk: &[u8],
        ret: &mut ReturnArea,
    ) -> Result<(), StreamError> {
        // SAFETY: live handle and a live byte slice; the host writes a
        // `result<_, stream-error>` into `ret`.
        unsafe {
            output_blocking_write_and_flush(self.0, chunk.as_ptr(), chunk.len(), ret.as_mut_ptr())
        };
        unit_result(ret)
    }

    /// Writes as much of `bytes` as the stream takes without waiting, starts
    /// flushing it, and says how much that was (possibly nothing).
    pub fn write_some(self, bytes: &[u8]) -> Result<usize, StreamError> {
        let budget = self.check_write()?;
        let chunk = bytes
            .len()
            .min(usize::try_from(budget).unwrap_or(usize::MAX));
        if chunk == 0 {
            return Ok(0);
        }
        let mut ret = ReturnArea::new();
        // SAFETY: `chunk <= bytes.len()`, so the range is inside `bytes`.
        unsafe { output_write(self.0, bytes.as_ptr(), chunk, ret.as_mut_ptr()) };
        unit_result(&ret)?;
        // SAFETY: live handle.
        unsafe { output_flush(self.0, ret.as_mut_ptr()) };
        unit_result(&ret)?;
        Ok(chunk)
    }

    /// How many bytes the stream takes now without waiting.
    pub fn check_write(self) -> Result<u64, StreamError> {
        let mut ret = ReturnArea::new();
        // SAFETY: live handle; `result<u64, stream-error>` is 8-aligned.
        unsafe { output_check_write(self.0, ret.as_mut_ptr()) };
        if ret.u8_at(0) == 0 {
            Ok(ret.u64_at(8))
        } else {
            Err(stream_error_at(&ret, 8))
        }
    }

    pub fn subscribe(self) -> Pollable {
        // SAFETY: live handle; the result is a new owned pollable.
        Pollable(unsafe { output_subscribe(self.0) })
    }

    /// Releases the handle; the caller must not use `self` again.
    pub fn drop_handle(self) {
        // SAFETY: the fd table hands each stream to exactly one drop.
        unsafe { drop_output_stream(self.0) }
    }
}
