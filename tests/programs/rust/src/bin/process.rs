//! proc_raise and sched_yield, then CPU-time clocks: resolution, readings
//! and whether they advance over busy work.

use wasi_upgrade_test_programs::describe;

fn main() {
    for (name, signal) in [("SIGINT", wasi::SIGNAL_INT), ("SIGTERM", wasi::SIGNAL_TERM), ("SIGABRT", wasi::SIGNAL_ABRT)] {
        println!("proc_raise({name}): {}", describe(&unsafe { wasi::proc_raise(signal) }));
    }
    println!("sched_yield: {}", describe(&unsafe { wasi::sched_yield() }));
    for (name, id) in [("process", wasi::CLOCKID_PROCESS_CPUTIME_ID), ("thread", wasi::CLOCKID_THREAD_CPUTIME_ID)] {
        let res = unsafe { wasi::clock_res_get(id) };
        let monotonic_res = unsafe { wasi::clock_res_get(wasi::CLOCKID_MONOTONIC) };
        match res {
            Ok(res) => println!("{name} CPU res: ok, same as monotonic {}", Ok(res) == monotonic_res),
            Err(e) => println!("{name} CPU res: errno {}", e.name()),
        }
        match unsafe { wasi::clock_time_get(id, 1) } {
            Ok(before) => {
                let mut x = 0u64;
                for i in 0..2_000_000u64 {
                    x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
                }
                let after = unsafe { wasi::clock_time_get(id, 1) }.expect("second reading");
                println!("{name} CPU time: ok, advances over busy work {}, under an hour {}", after > before, after < 3_600_000_000_000);
            }
            Err(e) => println!("{name} CPU time: errno {}", e.name()),
        }
    }
}
