//! The finished adapter must be something `wit-component` accepts as a
//! preview1 adapter, and must offer every preview1 function exactly as
//! modules import it. (A test target of its own: it needs no Wasmtime.)

use wasi_upgrade::{
    World, adapter_bytes, preopens_adapter_bytes, server_adapter_bytes, stdio_adapter_bytes,
};
use wasi_upgrade_tests::preview1;
use wasmparser::{
    ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

/// The memory hooks the upgrade routes `memory.size` / `memory.grow` through.
const HOOKS: [(&str, &[ValType], &[ValType]); 2] = [
    ("wasi_upgrade_memory_size", &[], &[ValType::I32]),
    (
        "wasi_upgrade_memory_grow",
        &[ValType::I32, ValType::I32],
        &[ValType::I32],
    ),
];

#[test]
fn command_adapter_has_the_shape_wit_component_needs() {
    check(World::Command);
}

#[test]
fn reactor_adapter_has_the_shape_wit_component_needs() {
    check(World::Reactor);
}

#[test]
fn server_adapter_has_the_shape_wit_component_needs() {
    let problems = problems(server_adapter_bytes(), World::Command);
    assert!(
        problems.is_empty(),
        "the server adapter has problems:\n  {}",
        problems.join("\n  ")
    );
}

/// The stdio builds serve only some preview1 functions (wit-component
/// rejects a module importing any other), each of the full build's shape,
/// and none that opens or finds a descriptor beyond stdio.
#[test]
fn stdio_adapters_have_the_shape_wit_component_needs() {
    for world in [World::Command, World::Reactor] {
        let bytes = stdio_adapter_bytes(world).expect("a stdio build");
        let problems: Vec<String> = problems(bytes, world)
            .into_iter()
            .filter(|problem| {
                !preview1::FUNCTIONS
                    .iter()
                    .any(|f| *problem == format!("no exported function {}", f.name))
            })
            .collect();
        assert!(
            problems.is_empty(),
            "the stdio {world:?} adapter has problems:\n  {}",
            problems.join("\n  ")
        );
        let exports = exported_functions(bytes);
        assert!(exports.iter().any(|name| name == "fd_write"));
        for reaching in [
            "path_open",
            "fd_prestat_get",
            "fd_fdstat_get",
            "fd_close",
            "sock_accept",
        ] {
            assert!(!exports.iter().any(|name| name == reaching), "{reaching}");
        }
    }
}

/// The preopens builds serve every preview1 function but the two that put a
/// new descriptor in the table and `fd_readdir`, each of the full build's
/// shape.
#[test]
fn preopens_adapters_have_the_shape_wit_component_needs() {
    const OPENING: [&str; 3] = ["path_open", "fd_readdir", "sock_accept"];
    for world in [World::Command, World::Reactor] {
        let bytes = preopens_adapter_bytes(world).expect("a preopens build");
        let problems: Vec<String> = problems(bytes, world)
            .into_iter()
            .filter(|problem| {
                !OPENING
                    .iter()
                    .any(|name| *problem == format!("no exported function {name}"))
            })
            .collect();
        assert!(
            problems.is_empty(),
            "the preopens {world:?} adapter has problems:\n  {}",
            problems.join("\n  ")
        );
        let exports = exported_functions(bytes);
        for opening in OPENING {
            assert!(!exports.iter().any(|name| name == opening), "{opening}");
        }
    }
}

fn exported_functions(bytes: &[u8]) -> Vec<String> {
    Parser::new(0)
        .parse_all(bytes)
        .filter_map(|payload| match payload {
            Ok(Payload::ExportSection(exports)) => Some(exports),
            _ => None,
        })
        .flatten()
        .filter_map(|export| export.ok())
        .filter(|export| export.kind == ExternalKind::Func)
        .map(|export| export.name.to_owned())
        .collect()
}

fn check(world: World) {
    let problems = problems(adapter_bytes(world), world);
    assert!(
        problems.is_empty(),
        "the {world:?} adapter has problems:\n  {}",
        problems.join("\n  ")
    );
}

/// Proves `problems` notices what it looks for: a module that gets every rule wrong.
#[test]
fn a_module_breaking_every_rule_is_reported() {
    let module = wat::parse_str(
        r#"(module
            (import "env" "foo" (func))
            (memory 1)
            (data (i32.const 0) "x")
            (table 1 funcref)
            (elem (i32.const 0) func $args_get)
            (start $nothing)
            (func $nothing)
            (func $args_get (param i32) (result i32) i32.const 0)
            (export "args_get" (func $args_get))
            (export "wasi:cli/run@0.2.12#run" (func $nothing)))"#,
    )
    .unwrap();
    let report = problems(&module, World::Reactor).join("\n");
    for expected in [
        "a data section",
        "an element section",
        "a start section",
        "1 memory definition(s)",
        "an import of env.foo",
        "no component-type custom section",
        "args_get has type (func (param i32) (result i32)), but preview1 modules import it as (func (param i32 i32) (result i32))",
        "no exported function fd_write",
        "no exported function wasi_upgrade_memory_grow",
        "a wasi:cli/run export in the reactor",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    assert!(
        problems(&module, World::Command)
            .iter()
            .all(|p| !p.contains("wasi:cli/run"))
    );
}

/// Everything about `bytes` that makes it unusable as the `world` adapter.
fn problems(bytes: &[u8], world: World) -> Vec<String> {
    let mut problems = Vec::new();
    let mut has_component_type = false;
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.expect("the adapter parses") {
            Payload::DataSection(_) => problems.push("a data section".to_owned()),
            Payload::ElementSection(_) => problems.push("an element section".to_owned()),
            Payload::StartSection { .. } => problems.push("a start section".to_owned()),
            Payload::DataCountSection { .. } => problems.push("a data count section".to_owned()),
            Payload::MemorySection(memories) if memories.count() > 0 => {
                problems.push(format!("{} memory definition(s)", memories.count()))
            }
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    let import = import.expect("an import");
                    let allowed = import.module.starts_with("wasi:")
                        || import.module == "__main_module__"
                        || (import.module == "env"
                            && import.name == "memory"
                            && matches!(import.ty, TypeRef::Memory(_)));
                    if !allowed {
                        problems.push(format!(
                            "an import of {}.{} ({:?})",
                            import.module, import.name, import.ty
                        ));
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.expect("an export");
                    exports.push((export.name.to_owned(), export.kind, export.index));
                }
            }
            Payload::CustomSection(section) if section.name().starts_with("component-type") => {
                has_component_type = true
            }
            _ => {}
        }
    }
    if !has_component_type {
        problems.push(
            "no component-type custom section (wit-component cannot classify its imports)"
                .to_owned(),
        );
    }

    let types = Validator::new_with_features(WasmFeatures::all())
        .validate_all(bytes)
        .expect("the adapter validates");
    let function_type = |index: u32| -> FuncType {
        types[types.as_ref().core_function_at(index)]
            .unwrap_func()
            .clone()
    };
    let exported = |name: &str| -> Option<FuncType> {
        exports
            .iter()
            .find(|(n, kind, _)| n == name && *kind == ExternalKind::Func)
            .map(|&(_, _, index)| function_type(index))
    };
    let required = preview1::FUNCTIONS
        .iter()
        .map(|s| (s.name, s.params, s.results))
        .chain(HOOKS);
    for (name, params, results) in required {
        match exported(name) {
            None => problems.push(format!("no exported function {name}")),
            Some(ty) if ty.params() != params || ty.results() != results => problems.push(format!(
                "{name} has type {ty}, but preview1 modules import it as {}",
                FuncType::new(params.iter().copied(), results.iter().copied())
            )),
            Some(_) => {}
        }
    }

    let runs = exports.iter().any(|(name, kind, _)| {
        name.starts_with("wasi:cli/run@0.2.")
            && name.ends_with("#run")
            && *kind == ExternalKind::Func
    });
    match world {
        World::Command if !runs => problems.push("no wasi:cli/run export".to_owned()),
        World::Reactor if runs => problems.push("a wasi:cli/run export in the reactor".to_owned()),
        _ => {}
    }
    problems
}

#[test]
fn proxy_adapter_has_the_shape_wit_component_needs() {
    check(World::Proxy);
}

/// Backtraces through the adapter name its exports and traps; its internal
/// functions are left unnamed, and no mangled symbol is in the name section.
#[test]
fn adapter_functions_have_readable_names() {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(adapter_bytes(World::Command)) {
        let Payload::CustomSection(section) = payload.expect("a valid adapter") else {
            continue;
        };
        let wasmparser::KnownCustom::Name(reader) = section.as_known() else {
            continue;
        };
        for subsection in reader {
            if let wasmparser::Name::Function(map) = subsection.expect("a valid name section") {
                names.extend(
                    map.into_iter()
                        .map(|naming| naming.expect("a name").name.to_owned()),
                );
            }
        }
    }
    // Exports and traps keep their names; internal functions cost bytes in
    // every component and go unnamed (finish_adapter.rs, `names`).
    for kept in ["fd_write", "pointer_outside_memory"] {
        assert!(names.iter().any(|name| name == kept), "{kept}: {names:?}");
    }
    let internal: Vec<&String> = names
        .iter()
        .filter(|name| name.starts_with("_ZN") || name.contains("::"))
        .collect();
    assert!(internal.is_empty(), "internal names left: {internal:?}");
}
