//! Makes an adapter built against WASI 0.2.12 import an older 0.2 release.
//!
//! Every 0.2 release only adds to the ones before it, so what the adapter
//! calls has the same names, signatures and meaning in every release it
//! targets; only the version in the names differs. Retargeting therefore
//! renames: each `wasi:…@0.2.12` import module (and the `wasi:cli/run`
//! export) gets the target's version, and the adapter's `component-type`
//! section is re-encoded with every `wasi` package at that version, so
//! wit-component names the component's imports after it. Doing this at
//! upgrade time is cheap (one small world decoded and encoded again);
//! embedding finished adapters instead would take one per older release
//! (0.2.0 to 0.2.11) for each adapter a release needs (command, server
//! command, reactor, proxy): 48 files of 40-60 KB, over 2.5 MB, in the tool.
//!
//! What the releases really add is left to the caller: below 0.2.12 it must
//! pass the `legacy-exit` build, which does not call `exit-with-code`.

use std::borrow::Cow;

use anyhow::{Context, Result};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{CustomSection, ExportSection, ImportSection, Module, RawSection};
use wasmparser::{Parser, Payload};
use wit_component::StringEncoding;
use wit_component::metadata::{self, Bindgen};

use crate::WasiVersion;

/// The items of the WASI 0.2.12 WIT that the adapter's worlds hold and
/// older releases lack, as (interface, function) with the release that added
/// them. (The other addition, `wasi:http/types.field-name` in 0.2.1, is a
/// type alias that no adapter imports; as an extra type it cannot clash with
/// a program's own `wasi:http` either, so it is left alone.)
const ADDED_FUNCTIONS: [(&str, &str, WasiVersion); 1] =
    [("wasi:cli/exit", "exit-with-code", WasiVersion::NEWEST)];

/// `adapter`, a finished adapter built against [`WasiVersion::NEWEST`],
/// importing `target` instead; `adapter` itself when that is the same.
pub(crate) fn retarget(adapter: &'static [u8], target: WasiVersion) -> Result<Cow<'static, [u8]>> {
    if target == WasiVersion::NEWEST {
        return Ok(Cow::Borrowed(adapter));
    }
    let (stripped, mut world) = metadata::decode(adapter).context("reading the adapter's world")?;
    let stripped = stripped.context("the adapter has no component-type section")?;
    reversion_world(&mut world, target);
    let section = metadata::encode(&world.resolve, world.world, StringEncoding::UTF8, None)
        .context("encoding the adapter's world")?;
    let mut module = rename(&stripped, target)?;
    module.section(&CustomSection {
        name: Cow::Owned(format!("component-type:wasi-upgrade-adapter@{target}")),
        data: Cow::Owned(section),
    });
    Ok(Cow::Owned(module.finish()))
}

/// Puts every `wasi` 0.2 package of `world` at `target` and removes the
/// functions `target` does not have yet.
fn reversion_world(world: &mut Bindgen, target: WasiVersion) {
    let resolve = &mut world.resolve;
    for (_, package) in resolve.packages.iter_mut() {
        if let Some(version) = &mut package.name.version
            && package.name.namespace == "wasi"
            && (version.major, version.minor) == (0, 2)
        {
            version.patch = u64::from(target.patch());
        }
    }
    resolve.package_names = resolve
        .packages
        .iter()
        .map(|(id, package)| (package.name.clone(), id))
        .collect();

    for (interface_name, function, added) in ADDED_FUNCTIONS {
        if target >= added {
            continue;
        }
        let holders: Vec<_> = resolve
            .interfaces
            .iter()
            .map(|(id, _)| id)
            .filter(|id| {
                resolve
                    .id_of(*id)
                    .is_some_and(|name| name.split('@').next() == Some(interface_name))
            })
            .collect();
        for id in holders {
            resolve.interfaces[id].functions.shift_remove(function);
        }
    }
}

/// `module` with every versioned `wasi:` import module and export name
/// renamed to `target`; all other sections are copied as they are.
fn rename(module: &[u8], target: WasiVersion) -> Result<Module> {
    let mut renamed = Module::new();
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.context("parsing the adapter")?;
        match payload {
            Payload::ImportSection(section) => {
                let mut imports = ImportSection::new();
                for import in section.into_imports() {
                    let mut import = import?;
                    let module_name = retarget_name(import.module, target);
                    import.module = &module_name;
                    RoundtripReencoder.parse_import(&mut imports, import)?;
                }
                renamed.section(&imports);
            }
            Payload::ExportSection(section) => {
                let mut exports = ExportSection::new();
                for export in section {
                    let mut export = export?;
                    let name = retarget_name(export.name, target);
                    export.name = &name;
                    RoundtripReencoder.parse_export(&mut exports, export)?;
                }
                renamed.section(&exports);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    renamed.section(&RawSection {
                        id,
                        data: &module[range],
                    });
                }
            }
        }
    }
    Ok(renamed)
}

/// `wasi:cli/stdout@0.2.12` → `wasi:cli/stdout@0.2.3`, and the same for an
/// export such as `wasi:cli/run@0.2.12#run`; any other name is unchanged.
fn retarget_name(name: &str, target: WasiVersion) -> String {
    let built = format!("@{}", WasiVersion::NEWEST);
    match name.split_once(&built) {
        Some((interface, rest))
            if interface.starts_with("wasi:") && (rest.is_empty() || rest.starts_with('#')) =>
        {
            format!("{interface}@{target}{rest}")
        }
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_only_versioned_wasi_names() {
        let target = WasiVersion::new(3).unwrap();
        for (name, expected) in [
            ("wasi:cli/stdout@0.2.12", "wasi:cli/stdout@0.2.3"),
            ("wasi:cli/run@0.2.12#run", "wasi:cli/run@0.2.3#run"),
            ("wasi:cli/stdout@0.2.120", "wasi:cli/stdout@0.2.120"),
            ("env", "env"),
            ("__main_module__", "__main_module__"),
            ("fd_write", "fd_write"),
            ("other:pkg/iface@0.2.12", "other:pkg/iface@0.2.12"),
        ] {
            assert_eq!(retarget_name(name, target), expected);
        }
    }
}
