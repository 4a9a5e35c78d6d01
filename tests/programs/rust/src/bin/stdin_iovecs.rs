//! Reads stdin with raw fd_read into several buffers at once (some empty) and
//! echoes what arrived. Hosts may fill fewer buffers per call than offered, so
//! only the concatenated data and its total are printed.

use wasi_upgrade_test_programs::write_all_vectored;

const SIZES: [usize; 7] = [0, 1, 7, 0, 4096, 3, 65_536];

fn main() {
    let mut buffers: Vec<Vec<u8>> = SIZES.iter().map(|&n| vec![0u8; n]).collect();
    let mut total = 0usize;
    let mut data = Vec::new();
    loop {
        let iovs: Vec<wasi::Iovec> = buffers
            .iter_mut()
            .map(|b| wasi::Iovec {
                buf: b.as_mut_ptr(),
                buf_len: b.len(),
            })
            .collect();
        let n = unsafe { wasi::fd_read(wasi::FD_STDIN, &iovs).expect("fd_read stdin") };
        if n == 0 {
            break;
        }
        let mut left = n;
        for buf in &buffers {
            let take = left.min(buf.len());
            data.extend_from_slice(&buf[..take]);
            left -= take;
        }
        total += n;
    }
    write_all_vectored(wasi::FD_STDOUT, &[&data]).expect("echo");
    eprintln!(
        "total {total} bytes, fnv1a {:016x}",
        wasi_upgrade_test_programs::fnv1a(&data)
    );

    let after_eof = unsafe {
        let mut byte = 0u8;
        wasi::fd_read(
            wasi::FD_STDIN,
            &[wasi::Iovec {
                buf: &mut byte,
                buf_len: 1,
            }],
        )
    };
    eprintln!(
        "fd_read after EOF: {}",
        wasi_upgrade_test_programs::describe(&after_eof)
    );
}
