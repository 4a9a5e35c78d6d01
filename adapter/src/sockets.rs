//! `sock_*`. Not yet implemented: sockets over `wasi:sockets` arrive with
//! the sockets work. Until then they answer `ENOSYS`, as the README says.

use crate::abi::{Errno, Fd};

#[unsafe(no_mangle)]
pub extern "C" fn sock_accept(_fd: Fd, _flags: u32, _accepted: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_recv(
    _fd: Fd,
    _ri_data: u32,
    _ri_data_len: u32,
    _ri_flags: u32,
    _ro_datalen: u32,
    _ro_flags: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_send(_fd: Fd, _si_data: u32, _si_data_len: u32, _si_flags: u32, _so_datalen: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_shutdown(_fd: Fd, _how: u32) -> Errno {
    Errno::NOSYS
}
