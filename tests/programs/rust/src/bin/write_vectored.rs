//! Raw vectored fd_write with many buffers, some empty, to stdout and stderr.

use wasi_upgrade_test_programs::write_all_vectored;

fn main() {
    let pieces: Vec<String> = (0..200).map(|i| format!("piece {i:03};")).collect();
    let mut bufs: Vec<&[u8]> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        if i % 3 == 0 {
            bufs.push(b"");
        }
        bufs.push(piece.as_bytes());
        if i % 10 == 9 {
            bufs.push(b"\n");
        }
    }
    bufs.push(b"");
    write_all_vectored(wasi::FD_STDOUT, &bufs).expect("fd_write stdout");

    // Only empty buffers: a zero-byte write must succeed and write nothing.
    let empty = unsafe {
        wasi::fd_write(
            wasi::FD_STDOUT,
            &[wasi::Ciovec {
                buf: b"".as_ptr(),
                buf_len: 0,
            }; 4],
        )
    };
    println!(
        "all-empty fd_write: {}",
        wasi_upgrade_test_programs::describe(&empty)
    );
    let none = unsafe { wasi::fd_write(wasi::FD_STDOUT, &[]) };
    println!(
        "zero-iovec fd_write: {}",
        wasi_upgrade_test_programs::describe(&none)
    );

    let err_bufs: [&[u8]; 5] = [b"", b"to ", b"", b"stderr", b"\n"];
    write_all_vectored(wasi::FD_STDERR, &err_bufs).expect("fd_write stderr");

    // A large write made of many 1 KiB buffers.
    let block = [b'x'; 1023];
    let mut large: Vec<&[u8]> = Vec::new();
    for _ in 0..256 {
        large.push(&block);
        large.push(b"\n");
    }
    write_all_vectored(wasi::FD_STDOUT, &large).expect("fd_write large");

    let bad_fd = unsafe {
        wasi::fd_write(
            1234,
            &[wasi::Ciovec {
                buf: b"x".as_ptr(),
                buf_len: 1,
            }],
        )
    };
    println!(
        "fd_write to fd 1234: {}",
        wasi_upgrade_test_programs::describe(&bad_fd)
    );
}
