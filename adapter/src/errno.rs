//! The one place WASI 0.2 errors become preview1 errnos.

use crate::abi::Errno;
use crate::wasi::io::StreamError;

impl From<StreamError> for Errno {
    /// Native preview1 reports a closed stream as `EIO` too; a failed
    /// operation carries an `error` resource whose details 0.2 only exposes
    /// through `wasi:filesystem`, which stdio must not drag in.
    fn from(_: StreamError) -> Errno {
        Errno::IO
    }
}
