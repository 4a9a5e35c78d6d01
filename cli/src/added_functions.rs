//! What both rewrites of the program that add functions (the snapshot-0
//! translation and the memory hooks) do with the function section: keep the
//! module's own entries and declare the added functions after them, so the
//! module's function indices stay as they are.

use std::convert::Infallible;

use wasm_encoder::FunctionSection;
use wasm_encoder::reencode::{self, Reencode};

/// Re-encodes `section` into `functions`, then declares one added function
/// of each type in `added_types` (type indices of the output module).
pub(crate) fn declare_after_own(
    reencoder: &mut impl Reencode<Error = Infallible>,
    functions: &mut FunctionSection,
    section: wasmparser::FunctionSectionReader<'_>,
    added_types: impl IntoIterator<Item = u32>,
) -> Result<(), reencode::Error> {
    reencode::utils::parse_function_section(reencoder, functions, section)?;
    for ty in added_types {
        functions.function(ty);
    }
    Ok(())
}
