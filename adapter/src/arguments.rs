//! Enum and flags arguments, converted as native preview1 converts them.
//!
//! Native (wiggle) turns each such argument into its type before the call
//! runs and traps on a value the type cannot hold: a number wider than the
//! type's integer, an enum value past the last, flag bits the type does not
//! define. The adapter converts them the same way, first thing in each
//! function, so a program sees the same trap.

use crate::traps;

/// An argument of an enum type whose values are `0..=max`, held in
/// `width_bits` bits (8 for `whence`, `advice` and `signal`, 32 for a
/// clock id).
pub fn enum_value(value: u32, width_bits: u32, max: u32) -> u32 {
    fits(value, width_bits);
    if value > max {
        traps::enum_value_out_of_range()
    }
    value
}

/// An argument of a flags type whose defined bits are `all`, held in
/// `width_bits` bits (8, 16 or 32).
pub fn flags(value: u32, width_bits: u32, all: u32) -> u32 {
    fits(value, width_bits);
    if value & !all != 0 {
        traps::flag_bits_out_of_range()
    }
    value
}

/// A 64-bit flags argument (rights).
pub fn flags64(value: u64, all: u64) -> u64 {
    if value & !all != 0 {
        traps::flag_bits_out_of_range()
    }
    value
}

/// An argument of a plain integer type of `width_bits` bits (`siflags`).
pub fn integer(value: u32, width_bits: u32) -> u32 {
    fits(value, width_bits);
    value
}

fn fits(value: u32, width_bits: u32) {
    if width_bits < 32 && value >> width_bits != 0 {
        traps::argument_wider_than_its_type()
    }
}
