//! Clock resolution and time: prints only properties that hold on any correct
//! host at any moment, never the readings themselves.

use wasi_upgrade_test_programs::describe;

/// 2020-01-01T00:00:00Z in nanoseconds since the epoch.
const YEAR_2020_NS: u64 = 1_577_836_800 * 1_000_000_000;

fn main() {
    for (name, id) in [
        ("realtime", wasi::CLOCKID_REALTIME),
        ("monotonic", wasi::CLOCKID_MONOTONIC),
    ] {
        let res = unsafe { wasi::clock_res_get(id) };
        match res {
            Ok(res) => println!(
                "{name} res: > 0 {}, <= 1s {}",
                res > 0,
                res <= 1_000_000_000
            ),
            Err(_) => println!("{name} res: {}", describe(&res)),
        }
        for precision in [0, 1, 1_000_000] {
            let now = unsafe { wasi::clock_time_get(id, precision) };
            match now {
                Ok(now) => println!("{name} time (precision {precision}): ok, > 0 {}", now > 0),
                Err(_) => println!("{name} time (precision {precision}): {}", describe(&now)),
            }
        }
    }

    let realtime = unsafe { wasi::clock_time_get(wasi::CLOCKID_REALTIME, 1).expect("realtime") };
    println!("realtime after 2020: {}", realtime > YEAR_2020_NS);

    let mut previous =
        unsafe { wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1).expect("monotonic") };
    let mut non_decreasing = true;
    for _ in 0..10_000 {
        let now = unsafe { wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1).expect("monotonic") };
        non_decreasing &= now >= previous;
        previous = now;
    }
    println!("monotonic non-decreasing over 10000 reads: {non_decreasing}");

    let before = std::time::Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(2));
    println!(
        "Instant advances across a 2ms sleep: {}",
        before.elapsed().as_millis() >= 2
    );
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("SystemTime after the epoch");
    println!(
        "SystemTime after 2020: {}",
        since_epoch.as_nanos() > u128::from(YEAR_2020_NS)
    );
}
