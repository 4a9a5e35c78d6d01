//! The environment variable through which a host hands the program
//! listening sockets: `WASI_UPGRADE_TCPLISTEN=ADDR[,ADDR…]`.
//!
//! It is addressed to the adapter, not the program, so `environ_get` leaves
//! it out, as a native host leaves out its own `--tcplisten` setting.

/// The variable's name in 8-byte words, as integers: a byte string would be
/// a data section, which the adapter cannot have.
const NAME_HEAD: u64 = u64::from_le_bytes(*b"WASI_UPG");
const NAME_MIDDLE: u64 = u64::from_le_bytes(*b"RADE_TCP");
const NAME_TAIL: u64 = u64::from_le_bytes(*b"LISTEN\0\0");
const NAME_LEN: usize = 22;

fn word(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    for (slot, byte) in word.iter_mut().zip(bytes) {
        *slot = *byte;
    }
    u64::from_le_bytes(word)
}

/// Whether `name` is `WASI_UPGRADE_TCPLISTEN`.
pub fn is_listen_variable(name: &[u8]) -> bool {
    let mut words = name.chunks(8).map(word);
    name.len() == NAME_LEN
        && words.next() == Some(NAME_HEAD)
        && words.next() == Some(NAME_MIDDLE)
        && words.next() == Some(NAME_TAIL)
}
