//! Helpers shared by the test programs. Everything here talks to preview1
//! directly, so a program's output depends only on what the host reports,
//! never on how a host splits reads and writes.

/// Writes every byte of `bufs` to `fd` with raw vectored `fd_write` calls.
///
/// A host may transfer fewer bytes than asked (native wasmtime writes only the
/// first non-empty buffer per call), so the remaining buffers are resubmitted
/// until everything is out. Returns the number of `fd_write` calls made.
pub fn write_all_vectored(fd: wasi::Fd, bufs: &[&[u8]]) -> Result<usize, wasi::Errno> {
    let mut pending: Vec<&[u8]> = bufs.to_vec();
    let mut calls = 0;
    while pending.iter().any(|b| !b.is_empty()) {
        let iovs: Vec<wasi::Ciovec> = pending
            .iter()
            .map(|b| wasi::Ciovec {
                buf: b.as_ptr(),
                buf_len: b.len(),
            })
            .collect();
        let mut written = unsafe { wasi::fd_write(fd, &iovs)? };
        calls += 1;
        for buf in pending.iter_mut() {
            let taken = written.min(buf.len());
            *buf = &buf[taken..];
            written -= taken;
        }
        pending.retain(|b| !b.is_empty());
    }
    Ok(calls)
}

/// Writes `text` to stdout with raw `fd_write`, bypassing std's buffering.
pub fn print_raw(text: &str) {
    write_all_vectored(wasi::FD_STDOUT, &[text.as_bytes()]).expect("fd_write to stdout");
}

/// A host-independent rendering of a preview1 result.
pub fn describe<T: core::fmt::Debug>(result: &Result<T, wasi::Errno>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.name()),
    }
}

/// FNV-1a over `bytes`, for printing a short fingerprint of large data.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
