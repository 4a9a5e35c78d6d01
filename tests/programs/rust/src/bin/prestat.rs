//! Lists every preopen with fd_prestat_get / fd_prestat_dir_name, closes the
//! first one and asks again.

fn prestat(fd: wasi::Fd) -> Result<String, wasi::Errno> {
    let stat = unsafe { wasi::fd_prestat_get(fd)? };
    assert_eq!(
        stat.tag,
        wasi::PREOPENTYPE_DIR.raw(),
        "fd {fd}: unexpected preopen type"
    );
    let len = unsafe { stat.u.dir.pr_name_len };
    let mut name = vec![0u8; len];
    unsafe { wasi::fd_prestat_dir_name(fd, name.as_mut_ptr(), len)? };
    Ok(format!(
        "{:?} (name length {len})",
        String::from_utf8_lossy(&name)
    ))
}

fn main() {
    for fd in 0..3 {
        println!("fd {fd}: {}", describe(prestat(fd)));
    }
    let mut fd = 3;
    loop {
        let result = prestat(fd);
        let done = result.is_err();
        println!("fd {fd}: {}", describe(result));
        if done {
            break;
        }
        fd += 1;
    }
    let preopens = fd - 3;
    println!("{preopens} preopen(s)");

    if preopens > 0 {
        // A buffer shorter than the name.
        let mut short = [0u8; 1];
        let short_result = unsafe { wasi::fd_prestat_dir_name(3, short.as_mut_ptr(), 0) };
        println!(
            "fd_prestat_dir_name(3, len 0): {}",
            wasi_upgrade_test_programs::describe(&short_result)
        );

        let closed = unsafe { wasi::fd_close(3) };
        println!(
            "fd_close(3): {}",
            wasi_upgrade_test_programs::describe(&closed)
        );
        println!("fd 3 after close: {}", describe(prestat(3)));
        let again = unsafe { wasi::fd_close(3) };
        println!(
            "fd_close(3) again: {}",
            wasi_upgrade_test_programs::describe(&again)
        );
        if preopens > 1 {
            println!("fd 4 still: {}", describe(prestat(4)));
        }
    }
}

fn describe(result: Result<String, wasi::Errno>) -> String {
    match result {
        Ok(text) => text,
        Err(e) => format!("errno {}", e.name()),
    }
}
