//! Prints every argument, raw and through std.

fn main() {
    let (argc, buf_size) = unsafe { wasi::args_sizes_get().expect("args_sizes_get") };
    println!("args_sizes_get: argc={argc} buf_size={buf_size}");
    let args: Vec<String> = std::env::args().collect();
    println!("std::env::args: {} args", args.len());
    let total: usize = args.iter().map(|a| a.len()).sum();
    println!("total bytes: {total}");
    for (i, arg) in args.iter().enumerate() {
        println!("{i}: {arg}");
    }
}
