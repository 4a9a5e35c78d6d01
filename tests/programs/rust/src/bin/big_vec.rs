//! Grows a 200 MiB Vec in chunks, writing to stdout between chunks, then checks
//! every byte: heap growth must never disturb data already written or the
//! host's view of the program's buffers.

const CHUNK: usize = 4 << 20;
const CHUNKS: usize = 50;

fn pattern(index: usize) -> u8 {
    (index.wrapping_mul(2_654_435_761) >> 13) as u8
}

fn main() {
    let mut data: Vec<u8> = Vec::new();
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for chunk in 0..CHUNKS {
        let start = data.len();
        data.extend((start..start + CHUNK).map(pattern));
        // Small separate allocations interleaved with the big one.
        kept.push(format!("chunk {chunk}").into_bytes());
        println!("chunk {chunk}: {} MiB", data.len() >> 20);
    }
    let bad = data.iter().enumerate().position(|(i, &b)| b != pattern(i));
    match bad {
        None => println!("all {} bytes intact", data.len()),
        Some(i) => println!("CORRUPT at byte {i}"),
    }
    let labels_ok = kept
        .iter()
        .enumerate()
        .all(|(i, k)| *k == format!("chunk {i}").into_bytes());
    println!("labels intact: {labels_ok}");
    println!("fnv1a {:016x}", wasi_upgrade_test_programs::fnv1a(&data));
    if bad.is_some() || !labels_ok {
        std::process::exit(1);
    }
}
