//! fd_fdstat_get on stdio, then fd_fdstat_set_flags(NONBLOCK) on each and
//! fd_fdstat_get again.

fn show(fd: wasi::Fd) {
    match unsafe { wasi::fd_fdstat_get(fd) } {
        Ok(stat) => println!(
            "fd {fd}: filetype {} flags {:#x} rights_base {:#x} rights_inheriting {:#x}",
            stat.fs_filetype.name(),
            stat.fs_flags,
            stat.fs_rights_base,
            stat.fs_rights_inheriting
        ),
        Err(e) => println!("fd {fd}: fd_fdstat_get errno {}", e.name()),
    }
}

fn main() {
    for fd in 0..3 {
        show(fd);
    }
    show(77);
    for fd in 0..3 {
        let result = unsafe { wasi::fd_fdstat_set_flags(fd, wasi::FDFLAGS_NONBLOCK) };
        println!(
            "fd {fd}: set NONBLOCK {}",
            wasi_upgrade_test_programs::describe(&result)
        );
        show(fd);
    }
    // Output still works after the flag change.
    println!("still writing");
    eprintln!("still writing to stderr");
}
