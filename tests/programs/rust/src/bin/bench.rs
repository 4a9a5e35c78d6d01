//! Workloads for the adapter benchmarks (`cargo bench -p wasi-upgrade-tests`),
//! one per argument: `bench <workload> <count>`. The test corpus runs each
//! with a small count, so the benchmarked code is also checked against
//! native preview1; the benchmark runs them with large counts.
//!
//! Every workload prints only a deterministic summary.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;

const DIR: &str = "/bench";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(workload), Some(count)) = (args.get(1), args.get(2)) else {
        eprintln!(
            "usage: bench <file-io|small-writes|readdir|stdout|clock|grow|filestat|open-close\
             |random|stdout-raw|list|hello> <count>"
        );
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("count is a number");
    match workload.as_str() {
        "file-io" => file_io(count),
        "small-writes" => small_writes(count),
        "readdir" => readdir(count),
        "stdout" => stdout(count),
        "clock" => clock(count),
        "grow" => grow(count),
        "filestat" => filestat(count),
        "open-close" => open_close(count),
        "random" => random(count),
        "stdout-raw" => stdout_raw(count),
        "list" => list(count),
        "hello" => println!("Hello, world!"),
        other => panic!("unknown workload {other}"),
    }
}

/// Writes `mib` MiB in 64 KiB writes, then reads it back in 64 KiB reads.
fn file_io(mib: usize) {
    let path = format!("{DIR}/data.bin");
    let chunk: Vec<u8> = (0..65536u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut file = File::create(&path).expect("create data.bin");
    for _ in 0..mib * 16 {
        file.write_all(&chunk).expect("write");
    }
    drop(file);
    let mut file = File::open(&path).expect("open data.bin");
    let mut buf = vec![0u8; 65536];
    let (mut total, mut sum) = (0usize, 0u64);
    loop {
        let n = file.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        total += n;
        sum = buf[..n].iter().fold(sum, |s, &b| s.wrapping_mul(31).wrapping_add(u64::from(b)));
    }
    fs::remove_file(&path).expect("remove data.bin");
    println!("file-io: {total} bytes, checksum {sum:016x}");
}

/// `count` unbuffered 32-byte writes: one `fd_write` each.
fn small_writes(count: usize) {
    let path = format!("{DIR}/small.txt");
    let mut file = File::create(&path).expect("create small.txt");
    for i in 0..count {
        file.write_all(format!("line {i:>26}\n").as_bytes()).expect("write");
    }
    drop(file);
    let len = fs::metadata(&path).expect("metadata").len();
    fs::remove_file(&path).expect("remove small.txt");
    println!("small-writes: {len} bytes");
}

/// Creates `count` files, then lists the directory ten times.
fn readdir(count: usize) {
    let dir = format!("{DIR}/many");
    fs::create_dir(&dir).expect("create many/");
    for i in 0..count {
        File::create(format!("{dir}/f{i:06}")).expect("create file");
    }
    let mut seen = 0;
    for _ in 0..10 {
        seen += fs::read_dir(&dir).expect("read_dir").count();
    }
    fs::remove_dir_all(&dir).expect("remove many/");
    println!("readdir: {seen} entries");
}

/// `count` lines through `println!`, one `fd_write` each.
fn stdout(count: usize) {
    for i in 0..count {
        println!("stdout line {i}");
    }
}

/// `count` reads of the monotonic clock.
fn clock(count: usize) {
    let start = std::time::Instant::now();
    let mut later = 0;
    for _ in 0..count {
        if std::time::Instant::now() >= start {
            later += 1;
        }
    }
    println!("clock: {later} readings not before the start");
}

/// Grows memory one page at a time, `count` times, as a program that sizes
/// its heap page by page does; each fresh page must read as zero, and one
/// byte of it is written.
fn grow(count: usize) {
    const PAGE: usize = 65536;
    let (mut grown, mut dirty) = (0, 0);
    for _ in 0..count {
        let old = core::arch::wasm32::memory_grow(0, 1);
        if old == usize::MAX {
            break;
        }
        let page = (old * PAGE) as *mut u8;
        // SAFETY: the page was just grown by this call, so no allocation
        // (the allocator grows memory for itself, past this page) owns it.
        unsafe {
            if page.read_volatile() != 0 || page.add(PAGE - 1).read_volatile() != 0 {
                dirty += 1;
            }
            page.write_volatile(1);
        }
        grown += 1;
    }
    println!("grow: {grown} pages, {dirty} of them not zero");
}

/// The file the per-call workloads use, created if the host did not.
fn small_file() -> String {
    let path = format!("{DIR}/small.dat");
    if fs::metadata(&path).is_err() {
        fs::write(&path, b"sixteen bytes!!\n").expect("create small.dat");
    }
    path
}

/// `count` `path_filestat_get`s of one file.
fn filestat(count: usize) {
    let path = small_file();
    let mut bytes = 0;
    for _ in 0..count {
        bytes += fs::metadata(&path).expect("metadata").len();
    }
    println!("filestat: {bytes} bytes");
}

/// `count` opens (`path_open`) and closes (`fd_close`) of one file.
fn open_close(count: usize) {
    let path = small_file();
    for _ in 0..count {
        drop(File::open(&path).expect("open"));
    }
    println!("open-close: {count} times");
}

unsafe extern "C" {
    /// wasi-libc's, on both preview1 (`random_get`) and WASI 0.2
    /// (`wasi:random`): one host call per call.
    fn getentropy(buffer: *mut u8, len: usize) -> i32;
}

/// `count` 32-byte reads of random bytes.
fn random(count: usize) {
    let mut buffer = [0u8; 32];
    let mut ones = 0u64;
    for _ in 0..count {
        // SAFETY: `buffer` is valid for 32 bytes of writes.
        let status = unsafe { getentropy(buffer.as_mut_ptr(), buffer.len()) };
        assert_eq!(status, 0, "getentropy failed");
        ones += buffer.iter().map(|b| u64::from(b.count_ones())).sum::<u64>();
    }
    assert!(count == 0 || ones > 0, "random bytes are all zero");
    println!("random: {} bytes", count * 32);
}

/// `count` 16-byte writes to stdout, each one `fd_write` (no buffering).
fn stdout_raw(count: usize) {
    // SAFETY: fd 1 is stdout, open for the whole run; ManuallyDrop keeps it
    // open after this function.
    let mut stdout = ManuallyDrop::new(unsafe { File::from_raw_fd(1) });
    for _ in 0..count {
        stdout.write_all(b"sixteen bytes!!\n").expect("write");
    }
}

/// Lists the directory `entries` (created with `count` files if the host
/// did not) 20 times.
fn list(count: usize) {
    let dir = format!("{DIR}/entries");
    if fs::metadata(&dir).is_err() {
        fs::create_dir(&dir).expect("create entries/");
        for i in 0..count {
            File::create(format!("{dir}/f{i:06}")).expect("create file");
        }
    }
    let mut seen = 0;
    for _ in 0..20 {
        seen += fs::read_dir(&dir).expect("read_dir").count();
    }
    println!("list: {seen} entries");
}
