//! The `component-type` custom section: the adapter's world, from which
//! wit-component learns what each `wasi:*` import and export of the adapter
//! means. Without it those imports cannot be classified.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Context, Result};
use wasm_encoder::CustomSection;
use wit_component::StringEncoding;
use wit_parser::{PackageId, Resolve};

/// The worlds of `wit/adapter.wit`, with everything they include.
pub struct AdapterWorlds {
    resolve: Resolve,
    package: PackageId,
}

impl AdapterWorlds {
    /// Parses the package in `wit_dir` and its `deps/`.
    pub fn load(wit_dir: &Path) -> Result<Self> {
        let mut resolve = Resolve::default();
        let (package, _) = resolve
            .push_dir(wit_dir)
            .with_context(|| format!("parsing the WIT package in {}", wit_dir.display()))?;
        Ok(Self { resolve, package })
    }

    /// The section describing `world`, one of the package's world names.
    pub fn section(&self, world: &str) -> Result<CustomSection<'static>> {
        let world_id = self
            .resolve
            .select_world(&[self.package], Some(world))
            .with_context(|| format!("selecting the adapter's `{world}` world"))?;
        let data =
            wit_component::metadata::encode(&self.resolve, world_id, StringEncoding::UTF8, None)
                .with_context(|| format!("encoding the adapter's `{world}` world"))?;
        // wit-component reads every section whose name starts with
        // `component-type`; the suffix only tells them apart in a dump.
        Ok(CustomSection {
            name: Cow::Owned(format!("component-type:wasi-upgrade-adapter:{world}")),
            data: Cow::Owned(data),
        })
    }
}
