//! The one place WASI 0.2 errors become preview1 errnos.

use crate::abi::Errno;
use crate::wasi::filesystem::ErrorCode;
use crate::wasi::io::StreamError;
use crate::wasi::sockets::SocketError;

impl From<StreamError> for Errno {
    /// Native preview1 reports a closed stream as `EIO` too; a failed
    /// operation carries an `error` resource whose details 0.2 only exposes
    /// through `wasi:filesystem`, which stdio must not drag in.
    fn from(_: StreamError) -> Errno {
        Errno::IO
    }
}

impl From<ErrorCode> for Errno {
    /// `wasi:filesystem/types.error-code`, case by case in WIT order.
    #[inline(never)]
    fn from(code: ErrorCode) -> Errno {
        match code.0 {
            // One opaque arm keeps LLVM from turning the match into a lookup
            // table, which would be a data section the adapter cannot have.
            0 => core::hint::black_box(Errno::ACCES),
            1 => Errno::AGAIN,
            2 => Errno::ALREADY,
            3 => Errno::BADF,
            4 => Errno::BUSY,
            5 => Errno::DEADLK,
            6 => Errno::DQUOT,
            7 => Errno::EXIST,
            8 => Errno::FBIG,
            9 => Errno::ILSEQ,
            10 => Errno::INPROGRESS,
            11 => Errno::INTR,
            12 => Errno::INVAL,
            13 => Errno::IO,
            14 => Errno::ISDIR,
            15 => Errno::LOOP,
            16 => Errno::MLINK,
            17 => Errno::MSGSIZE,
            18 => Errno::NAMETOOLONG,
            19 => Errno::NODEV,
            20 => Errno::NOENT,
            21 => Errno::NOLCK,
            22 => Errno::NOMEM,
            23 => Errno::NOSPC,
            24 => Errno::NOTDIR,
            25 => Errno::NOTEMPTY,
            26 => Errno::NOTRECOVERABLE,
            27 => Errno::NOTSUP,
            28 => Errno::NOTTY,
            29 => Errno::NXIO,
            30 => Errno::OVERFLOW,
            31 => Errno::PERM,
            32 => Errno::PIPE,
            33 => Errno::ROFS,
            34 => Errno::SPIPE,
            35 => Errno::TXTBSY,
            36 => Errno::XDEV,
            _ => Errno::IO,
        }
    }
}

impl From<SocketError> for Errno {
    /// `wasi:sockets/network.error-code`, case by case in WIT order, as the
    /// POSIX errno each case's documentation names.
    #[inline(never)]
    fn from(code: SocketError) -> Errno {
        match code.0 {
            1 => core::hint::black_box(Errno::ACCES),
            2 => Errno::NOTSUP,
            3 => Errno::INVAL,
            4 => Errno::NOMEM,
            5 => Errno::TIMEDOUT,
            6 => Errno::ALREADY,
            7 => Errno::INVAL,
            8 => Errno::AGAIN,
            9 => Errno::INVAL,
            10 => Errno::NFILE,
            11 => Errno::ADDRNOTAVAIL,
            12 => Errno::ADDRINUSE,
            13 => Errno::HOSTUNREACH,
            14 => Errno::CONNREFUSED,
            15 => Errno::CONNRESET,
            16 => Errno::CONNABORTED,
            17 => Errno::MSGSIZE,
            _ => Errno::IO,
        }
    }
}
