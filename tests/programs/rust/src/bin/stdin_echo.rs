//! Copies stdin to stdout through std; reports the size and a fingerprint on stderr.

use std::io::{Read, Write};

fn main() {
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .expect("read stdin");
    std::io::stdout().write_all(&input).expect("write stdout");
    eprintln!(
        "read {} bytes, fnv1a {:016x}",
        input.len(),
        wasi_upgrade_test_programs::fnv1a(&input)
    );
}
