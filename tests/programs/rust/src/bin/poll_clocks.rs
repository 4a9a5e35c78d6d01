//! poll_oneoff with clock subscriptions. Prints the events' userdata, type and
//! error in a fixed order, never timings; which subscriptions one call reports
//! depends on timing, so several clocks are polled until all have fired.

use std::collections::BTreeMap;
use wasi::{Event, Subscription};
use wasi_upgrade_test_programs::clock_subscription as clock_sub;

fn poll(subs: &[Subscription]) -> Result<Vec<Event>, wasi::Errno> {
    let mut events: Vec<Event> = Vec::with_capacity(subs.len());
    let n = unsafe { wasi::poll_oneoff(subs.as_ptr(), events.as_mut_ptr(), subs.len())? };
    unsafe { events.set_len(n) };
    Ok(events)
}

fn now_ns() -> u64 {
    unsafe { wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1).expect("monotonic") }
}

fn describe_event(e: &Event) -> String {
    format!(
        "userdata {:#x} type {} error {}",
        e.userdata,
        e.type_.name(),
        e.error.name()
    )
}

/// Polls until every subscription has produced an event; returns them by userdata.
fn poll_until_all(mut pending: Vec<Subscription>) -> BTreeMap<u64, String> {
    let mut seen = BTreeMap::new();
    while !pending.is_empty() {
        let events = poll(&pending).expect("poll_oneoff");
        assert!(!events.is_empty(), "poll_oneoff returned no events");
        for e in &events {
            seen.insert(e.userdata, describe_event(e));
        }
        pending.retain(|s| !seen.contains_key(&s.userdata));
    }
    seen
}

fn main() {
    let start = now_ns();
    let events = poll(&[clock_sub(0x1234, wasi::CLOCKID_MONOTONIC, 5_000_000, 0)]).expect("poll");
    println!("single relative clock: {} event(s)", events.len());
    for e in &events {
        println!("  {}", describe_event(e));
    }
    println!("  waited at least 5ms: {}", now_ns() - start >= 5_000_000);

    let start = now_ns();
    let seen = poll_until_all(vec![
        clock_sub(3, wasi::CLOCKID_MONOTONIC, 15_000_000, 0),
        clock_sub(1, wasi::CLOCKID_MONOTONIC, 5_000_000, 0),
        clock_sub(2, wasi::CLOCKID_MONOTONIC, 10_000_000, 0),
        clock_sub(4, wasi::CLOCKID_REALTIME, 1_000_000, 0),
    ]);
    println!("several relative clocks:");
    for line in seen.values() {
        println!("  {line}");
    }
    println!("  waited at least 5ms: {}", now_ns() - start >= 5_000_000);

    let deadline = now_ns() + 5_000_000;
    let events = poll(&[
        clock_sub(
            7,
            wasi::CLOCKID_MONOTONIC,
            deadline,
            wasi::SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME,
        ),
        clock_sub(8, wasi::CLOCKID_MONOTONIC, 60_000_000_000, 0),
    ])
    .expect("poll");
    println!(
        "absolute deadline vs 60s timeout: {} event(s)",
        events.len()
    );
    for e in &events {
        println!("  {}", describe_event(e));
    }
    println!("  reached the deadline: {}", now_ns() >= deadline);

    let past = poll(&[clock_sub(
        9,
        wasi::CLOCKID_MONOTONIC,
        1,
        wasi::SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME,
    )]);
    match past {
        Ok(events) => {
            println!("absolute deadline in the past: {} event(s)", events.len());
            for e in &events {
                println!("  {}", describe_event(e));
            }
        }
        Err(e) => println!("absolute deadline in the past: errno {}", e.name()),
    }

    match poll(&[]) {
        Ok(events) => println!("no subscriptions: {} event(s)", events.len()),
        Err(e) => println!("no subscriptions: errno {}", e.name()),
    }
}
