//! How `fd_readdir` fills the program's buffer: dirent after dirent, the
//! last one cut short where the buffer ends, as preview1 requires. It writes
//! through a function it is given, so `adapter-build/tests/adapter_logic.rs`
//! tests it on the host.

use crate::abi::{Result, dirent};

/// Writes dirents into a buffer of `capacity` bytes through `write(offset,
/// bytes)`, and tracks how much room is left.
pub struct DirentBuffer<W> {
    write: W,
    capacity: u32,
    pub used: u32,
}

/// How an entry fared in the program's buffer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Written whole, with room to spare.
    Whole,
    /// Written whole, and the buffer is now exactly full.
    WholeAndFull,
    /// Cut short: the next call must deliver it again.
    Truncated,
}

impl<W: FnMut(u32, &[u8]) -> Result<()>> DirentBuffer<W> {
    pub fn new(capacity: u32, write: W) -> Self {
        DirentBuffer {
            write,
            capacity,
            used: 0,
        }
    }

    /// Writes the dirent of entry `name`, whose successor's cookie is
    /// `next`, as far as it fits.
    pub fn push(&mut self, next: u64, ino: u64, kind: u8, name: &[u8]) -> Result<Fit> {
        let mut header = [0u8; dirent::SIZE as usize];
        header[dirent::NEXT as usize..][..8].copy_from_slice(&next.to_le_bytes());
        header[dirent::INO as usize..][..8].copy_from_slice(&ino.to_le_bytes());
        header[dirent::NAMLEN as usize..][..4].copy_from_slice(&(name.len() as u32).to_le_bytes());
        header[dirent::TYPE as usize] = kind;
        let whole = self.put(&header)? && self.put(name)?;
        Ok(match (whole, self.used == self.capacity) {
            (true, false) => Fit::Whole,
            (true, true) => Fit::WholeAndFull,
            (false, _) => Fit::Truncated,
        })
    }

    /// Writes as much of `bytes` as fits; `true` if all of it did.
    fn put(&mut self, bytes: &[u8]) -> Result<bool> {
        let room = (self.capacity - self.used) as usize;
        let take = bytes.len().min(room);
        let part = bytes.get(..take).unwrap_or(&[]);
        (self.write)(self.used, part)?;
        self.used += take as u32;
        Ok(take == bytes.len())
    }
}
