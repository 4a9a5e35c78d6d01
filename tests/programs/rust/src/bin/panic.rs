//! Panics after some output: both hosts must report a trap.

fn main() {
    println!("about to panic");
    let divisor = std::env::args().count();
    if divisor < 1000 {
        panic!("deliberate panic with {divisor} args");
    }
}
