//! The one shape most `Reencode` overrides of the rewrites share: do what
//! the default does, then add to or adjust the result.

/// Writes a `Reencode` method that does what `reencode::utils` does by
/// default and then runs the given code on the result, so each override
/// states only what it adds.
///
/// - `reencode_then!(parse_type_section(TypeSection, TypeSectionReader<'_>), |this, types| ...)`:
///   the section is re-encoded into `types`, then the code adds entries.
/// - `reencode_then!(memory_type(wasmparser::MemoryType) -> MemoryType, |this, memory| ...)`:
///   the item is converted into `memory` (mutable), then the code adjusts it.
///
/// `wasm_encoder` and `wasmparser` are resolved where it is used (the
/// caller's own dependencies). Public only for the tests' re-encoders.
#[doc(hidden)]
#[macro_export]
macro_rules! reencode_then {
    ($(#[$attr:meta])* $parse:ident($section:ty, $reader:ty $(,)?), |$this:pat_param, $out:ident| $then:expr) => {
        $(#[$attr])*
        fn $parse(
            &mut self,
            $out: &mut $section,
            section: $reader,
        ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
            wasm_encoder::reencode::utils::$parse(self, $out, section)?;
            let $this = self;
            $then;
            Ok(())
        }
    };
    ($(#[$attr:meta])* $convert:ident($from:ty) -> $to:ty, |$this:pat_param, $value:ident| $then:expr) => {
        $(#[$attr])*
        fn $convert(&mut self, from: $from) -> Result<$to, wasm_encoder::reencode::Error<Self::Error>> {
            let mut $value = wasm_encoder::reencode::utils::$convert(self, from);
            let $this = self;
            $then;
            Ok($value)
        }
    };
}
