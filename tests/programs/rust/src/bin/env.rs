//! Prints every environment variable in the order the host reports them.

fn main() {
    let (count, buf_size) = unsafe { wasi::environ_sizes_get().expect("environ_sizes_get") };
    println!("environ_sizes_get: count={count} buf_size={buf_size}");
    let vars: Vec<(String, String)> = std::env::vars().collect();
    println!("std::env::vars: {} vars", vars.len());
    for (key, value) in &vars {
        println!("{key}={value}");
    }
    match std::env::var("WASI_UPGRADE_PROBE") {
        Ok(value) => println!("lookup WASI_UPGRADE_PROBE: {value}"),
        Err(e) => println!("lookup WASI_UPGRADE_PROBE: {e}"),
    }
}
