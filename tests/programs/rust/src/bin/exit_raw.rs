//! Exits through a raw `proc_exit` with the code given as argv[1].

fn main() {
    let code: u32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .expect("usage: exit_raw <code>");
    wasi_upgrade_test_programs::print_raw(&format!("exiting with {code} via proc_exit\n"));
    unsafe { wasi::proc_exit(code) }
}
