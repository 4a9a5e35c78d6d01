//! random_get over several lengths; prints lengths and whether the bytes look
//! random, never the bytes.

fn main() {
    for len in [0usize, 1, 16, 4096, 65_536, 1 << 20] {
        // A canary after the requested range shows whether the host wrote past it.
        let mut buf = vec![0u8; len + 8];
        let result = unsafe { wasi::random_get(buf.as_mut_ptr(), len) };
        let canary_intact = buf[len..].iter().all(|&b| b == 0);
        // Only asked of 16 bytes or more: shorter draws are all zero too often.
        let nonzero = if len >= 16 {
            format!(", any non-zero byte {}", buf[..len].iter().any(|&b| b != 0))
        } else {
            String::new()
        };
        match result {
            Ok(()) => println!("random_get({len}): ok{nonzero}, canary intact {canary_intact}"),
            Err(e) => println!("random_get({len}): errno {}", e.name()),
        }
    }
    let first = fill(64);
    let second = fill(64);
    println!("two 64-byte draws differ: {}", first != second);
}

fn fill(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    unsafe { wasi::random_get(buf.as_mut_ptr(), len).expect("random_get") };
    buf
}
