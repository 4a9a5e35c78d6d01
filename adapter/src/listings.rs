//! The state of each directory listing `fd_readdir` keeps between calls,
//! in the persistent arena, and the free list that recycles them.

use crate::abi::{Errno, Result};
use crate::state::{State, region_base};
use crate::wasi::filesystem::{self, DirectoryEntryStream};

/// Longest name the pending entry can hold; longer ones (which Linux does
/// not allow anyway) make the next call restart the listing instead.
pub const PENDING_NAME_CAPACITY: usize = 256;

/// Where an fd's listing sits in the persistent arena: its offset from the
/// region's base.
#[derive(Clone, Copy)]
pub struct ListingRef(u32, Listings);

/// Whether this build can list directories: not the `stdio`, `proxy` and
/// `preopens` builds, which do not export `fd_readdir`. There the type is
/// uninhabited, and so is every `ListingRef`: a directory never holds one,
/// and closing it compiles to no listing code or imports.
#[derive(Clone, Copy)]
enum Listings {
    #[cfg(not(any(feature = "stdio", feature = "proxy", feature = "preopens")))]
    Possible,
}

impl Listings {
    #[cfg(not(any(feature = "stdio", feature = "proxy", feature = "preopens")))]
    const ROOT: Option<Listings> = Some(Listings::Possible);
    #[cfg(any(feature = "stdio", feature = "proxy", feature = "preopens"))]
    const ROOT: Option<Listings> = None;
}

/// The state of one directory listing.
#[repr(C)]
pub struct Listing {
    /// The open entry stream, 0 when none.
    pub stream: u32,
    /// For a preopen, `.` opened inside it, which is what gets listed:
    /// some hosts (jco) cannot list a preopen descriptor itself. 0 when none.
    pub dot: u32,
    /// Index (cookie) of the entry the stream yields next.
    pub stream_index: u64,
    /// Whether `pending_*` hold the entry at `stream_index - 1`, read from
    /// the stream but not completely written to the program.
    pub has_pending: bool,
    pub pending_type: u8,
    pub pending_ino: u64,
    pub pending_len: u32,
    pub pending_name: [u8; PENDING_NAME_CAPACITY],
    /// Next free listing, while this one is on the free list.
    next_free: u32,
}

/// The listing at `at`, for as long as `state` is borrowed (so no longer
/// than the current call, since the region may move between calls).
///
/// # Safety
///
/// `at` came from [`allocate`] and has not been [`release`]d since, and no
/// other reference to the same listing is live while the returned one is.
// The reference points into the arena, not into `state`, which only bounds
// how long it may live.
#[allow(clippy::mut_from_ref)]
pub unsafe fn listing(state: &State, at: ListingRef) -> &mut Listing {
    let _ = state;
    let address = region_base() + at.0 as usize;
    // SAFETY: by the contract, `address` holds a `Listing` in the persistent
    // arena (never freed, zeroed when allocated, and valid when zeroed),
    // aligned by `allocate`, and nothing else refers to it.
    unsafe { &mut *(address as *mut Listing) }
}

/// A listing for a directory fd: a recycled one, or a new one, zeroed.
pub fn allocate(state: &State) -> Result<ListingRef> {
    // Only builds that can list export `fd_readdir`: there this is a
    // constant.
    let Some(listings) = Listings::ROOT else {
        return Err(Errno::NOTSUP);
    };
    let free = state.listings.free.get();
    if free != 0 {
        let at = ListingRef(free, listings);
        // SAFETY: `free` heads the free list, whose listings came from
        // `allocate`; nothing refers to a listing while it is free.
        let next_free = unsafe { listing(state, at) }.next_free;
        state.listings.free.set(next_free);
        return Ok(at);
    }
    let address = state.arena.alloc_persistent(
        core::mem::align_of::<Listing>(),
        core::mem::size_of::<Listing>(),
    )?;
    Ok(ListingRef((address - region_base()) as u32, listings))
}

/// Ends a listing when its directory fd is closed.
pub fn release(at: ListingRef) {
    State::with(|state| {
        // SAFETY: the closing fd held `at`, which `allocate` gave it, and the
        // listing is referred to only inside `fd_readdir`, which is not
        // running.
        let entry = unsafe { listing(state, at) };
        close_stream(entry);
        if entry.dot != 0 {
            filesystem::Descriptor(entry.dot).drop_handle();
            entry.dot = 0;
        }
        entry.has_pending = false;
        entry.next_free = state.listings.free.get();
        state.listings.free.set(at.0);
    })
}

pub fn close_stream(entry: &mut Listing) {
    if entry.stream != 0 {
        drop(DirectoryEntryStream::from_handle(entry.stream));
        entry.stream = 0;
    }
}
