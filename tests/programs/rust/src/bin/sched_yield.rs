fn main() {
    for _ in 0..3 {
        let result = unsafe { wasi::sched_yield() };
        println!(
            "sched_yield: {}",
            wasi_upgrade_test_programs::describe(&result)
        );
    }
    std::thread::yield_now();
    println!("std::thread::yield_now returned");
}
