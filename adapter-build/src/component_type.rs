//! The `component-type` custom section: the adapter's world, from which
//! wit-component learns what each `wasi:*` import and export of the adapter
//! means. Without it those imports cannot be classified.
//!
//! Each shipped adapter carries its world cut down to the interfaces that
//! build imports (and those they take types from): wit-component decodes and
//! validates the whole section at every upgrade, and the full CLI world is
//! most of that work for a build, such as the stdio one, that imports a
//! few interfaces of it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use wasm_encoder::{CustomSection, Module, RawSection};
use wasmparser::{Parser, Payload};
use wit_component::StringEncoding;
use wit_parser::{InterfaceId, PackageId, Resolve, WorldItem};

/// The prefix of the name of every section wit-component reads a world from.
const SECTION_PREFIX: &str = "component-type";

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

    /// The section describing `world`, one of the package's world names, in
    /// full.
    pub fn section(&self, world: &str) -> Result<CustomSection<'static>> {
        let world_id = self.world_id(world)?;
        encode(&self.resolve, world, world_id)
    }

    /// `adapter`, a finished adapter carrying any `component-type` section,
    /// with that section replaced by `world` less the interfaces `adapter`
    /// does not import and no imported one uses a type of.
    pub fn narrow(&self, world: &str, adapter: &[u8]) -> Result<Vec<u8>> {
        let imported = imported_modules(adapter)?;
        let mut resolve = self.resolve.clone();
        let world_id = self.world_id(world)?;
        let mut kept = HashSet::new();
        let mut pending: Vec<InterfaceId> = resolve.worlds[world_id]
            .imports
            .values()
            .filter_map(|item| match item {
                WorldItem::Interface { id, .. } => Some(*id),
                _ => None,
            })
            .filter(|id| {
                resolve
                    .id_of(*id)
                    .is_some_and(|name| imported.contains(name.as_str()))
            })
            .collect();
        while let Some(id) = pending.pop() {
            if kept.insert(id) {
                pending.extend(resolve.interface_direct_deps(id));
            }
        }
        resolve.worlds[world_id]
            .imports
            .retain(|_, item| match item {
                WorldItem::Interface { id, .. } => kept.contains(id),
                WorldItem::Function(_) | WorldItem::Type { .. } => true,
            });
        let section = encode(&resolve, world, world_id)?;

        let mut module = Module::new();
        for payload in Parser::new(0).parse_all(adapter) {
            let payload = payload.context("parsing the finished adapter")?;
            if let Payload::CustomSection(custom) = &payload
                && custom.name().starts_with(SECTION_PREFIX)
            {
                continue;
            }
            if let Some((id, range)) = payload.as_section() {
                module.section(&RawSection {
                    id,
                    data: &adapter[range],
                });
            }
        }
        module.section(&section);
        Ok(module.finish())
    }

    fn world_id(&self, world: &str) -> Result<wit_parser::WorldId> {
        self.resolve
            .select_world(&[self.package], Some(world))
            .with_context(|| format!("selecting the adapter's `{world}` world"))
    }
}

/// The section holding `world_id` of `resolve`, named after `world`.
fn encode(
    resolve: &Resolve,
    world: &str,
    world_id: wit_parser::WorldId,
) -> Result<CustomSection<'static>> {
    let data = wit_component::metadata::encode(resolve, world_id, StringEncoding::UTF8, None)
        .with_context(|| format!("encoding the adapter's `{world}` world"))?;
    // wit-component reads every section whose name starts with
    // `component-type`; the suffix only tells them apart in a dump.
    Ok(CustomSection {
        name: Cow::Owned(format!("{SECTION_PREFIX}:wasi-upgrade-adapter:{world}")),
        data: Cow::Owned(data),
    })
}

/// The import module names of the core module `adapter`.
fn imported_modules(adapter: &[u8]) -> Result<HashSet<&str>> {
    let mut modules = HashSet::new();
    for payload in Parser::new(0).parse_all(adapter) {
        if let Payload::ImportSection(imports) = payload.context("parsing the finished adapter")? {
            for import in imports.into_imports() {
                modules.insert(import.context("parsing the finished adapter")?.module);
            }
        }
    }
    Ok(modules)
}
