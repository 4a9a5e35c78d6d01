//! Exits through `std::process::exit` with the code given as argv[1].

fn main() {
    let code: i32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .expect("usage: exit_std <code>");
    println!("exiting with {code} via std::process::exit");
    std::process::exit(code);
}
