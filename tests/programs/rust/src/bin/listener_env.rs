//! A server that serves nothing: it imports `sock_accept`, so its upgrade
//! gets the adapter's listener build, which reads the listen addresses from
//! the environment before `_start`. It prints what is at fd 3 (where the
//! host puts the listener), what `sock_accept` answers with no client
//! waiting, and every environment variable it sees.

fn main() {
    let fd3 = unsafe { wasi::fd_fdstat_get(3) }.map(|stat| stat.fs_filetype.name());
    println!("fd 3: {}", wasi_upgrade_test_programs::describe(&fd3));
    let accepted = unsafe { wasi::sock_accept(3, wasi::FDFLAGS_NONBLOCK) };
    println!(
        "sock_accept with no client: {}",
        wasi_upgrade_test_programs::describe(&accepted)
    );
    let (count, _) = unsafe { wasi::environ_sizes_get() }.expect("environ_sizes_get");
    println!("{count} variables:");
    for (key, value) in std::env::vars() {
        println!("{key}={value}");
    }
}
