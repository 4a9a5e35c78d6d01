//! What an upgrade would do with a module, without writing anything: the
//! preview1 functions it imports, the kind of component it becomes and why,
//! what that component imports, and what stops the upgrade, if anything.

use wasmparser::{ComponentExternalKind, Parser, Payload, TypeRef};

use crate::error::Error;
use crate::validation::{self, ModuleFacts};
use crate::{AdapterBuild, Options, WASI_PREVIEW1, World, adapter_build, upgrade, world_choice};

/// What [`inspect`] found.
///
/// ```
/// let module = wat::parse_str(r#"(module
///     (import "env" "log" (func))
///     (memory (export "memory") 1)
///     (func (export "_start")))"#)?;
/// let inspection = wasi_upgrade::inspect(&module, &wasi_upgrade::Options::default());
/// assert_eq!(
///     inspection.problem,
///     Some(wasi_upgrade::Error::ForeignImport { module: "env".into(), name: "log".into() })
/// );
/// assert!(inspection.component_imports.is_empty());
/// # Ok::<(), wat::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Inspection {
    /// The `wasi_snapshot_preview1` functions the module imports, in the
    /// module's order. [`FunctionRow::of`](crate::FunctionRow::of) tells what
    /// each does on WASI 0.2.
    pub preview1_functions: Vec<String>,
    /// The kind of component the module becomes, if it can be upgraded.
    pub world: Option<World>,
    /// Why that kind: the rule of the detection that applied, or the request.
    pub world_reason: Option<&'static str>,
    /// Whether the module serves on sockets (it imports `sock_accept`), and
    /// so gets the adapter that listens where
    /// [`TCP_LISTEN_VARIABLE`](crate::TCP_LISTEN_VARIABLE) says.
    pub serves_sockets: bool,
    /// The build of the adapter the component gets, if it can be upgraded.
    pub adapter: Option<AdapterBuild>,
    /// The interfaces the component imports (`wasi:cli/stdout@0.2.12`, …).
    pub component_imports: Vec<String>,
    /// The component's exports (`wasi:cli/run@0.2.12` for a command).
    pub component_exports: Vec<String>,
    /// Why the module cannot be upgraded, if it cannot: the same error
    /// [`upgrade`] returns.
    pub problem: Option<Error>,
}

/// Looks at `module` as [`upgrade`] with `options` would, and reports
/// instead of failing: whatever stops the upgrade is in
/// [`Inspection::problem`].
///
/// ```
/// let module = wat::parse_str(r#"(module
///     (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
///     (memory (export "memory") 1)
///     (func (export "_start")))"#)?;
/// let inspection = wasi_upgrade::inspect(&module, &wasi_upgrade::Options::default());
/// assert_eq!(inspection.preview1_functions, ["fd_write"]);
/// assert_eq!(inspection.world, Some(wasi_upgrade::World::Command));
/// assert!(inspection.component_imports.iter().any(|i| i.starts_with("wasi:cli/stdout@")));
/// assert!(inspection.problem.is_none());
/// # Ok::<(), wat::Error>(())
/// ```
pub fn inspect(module: &[u8], options: &Options) -> Inspection {
    let mut inspection = Inspection {
        preview1_functions: Vec::new(),
        world: None,
        world_reason: None,
        serves_sockets: false,
        adapter: None,
        component_imports: Vec::new(),
        component_exports: Vec::new(),
        problem: None,
    };
    if let Err(problem) = look(module, options, &mut inspection) {
        inspection.problem = Some(problem);
    }
    inspection
}

/// Fills `inspection` as far as the module allows.
fn look(module: &[u8], options: &Options, inspection: &mut Inspection) -> Result<(), Error> {
    let binary = validation::binary_form(module)?;
    inspection.preview1_functions = preview1_imports(&binary);
    let facts = validation::check(&binary)?;
    inspection.serves_sockets = facts.accepts_connections;
    let world = world_choice::choose(&binary, &facts, options.world)?;
    inspection.world = Some(world);
    inspection.world_reason = Some(world_reason(world, options.world, &facts));
    let version = options.wasi_version.unwrap_or_default();
    inspection.adapter = Some(adapter_build(world, version, &facts));
    let component = upgrade(&binary, options)?;
    (inspection.component_imports, inspection.component_exports) = component_names(&component);
    Ok(())
}

/// The names of the functions `module` imports from preview1, in its order.
fn preview1_imports(module: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload {
            Ok(Payload::ImportSection(section)) => {
                for import in section.into_imports().flatten() {
                    if import.module == WASI_PREVIEW1 && matches!(import.ty, TypeRef::Func(_)) {
                        names.push(import.name.to_owned());
                    }
                }
            }
            // Imports come before any code.
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => break,
            Ok(_) => {}
        }
    }
    names
}

fn world_reason(world: World, requested: Option<World>, facts: &ModuleFacts) -> &'static str {
    match (requested, world) {
        (Some(_), _) => "asked for (--world)",
        (None, World::Command) => "it exports `_start`, so it is a program",
        (None, World::Proxy) => {
            "its embedded WIT world exports `wasi:http/incoming-handler`, so it is an HTTP handler"
        }
        (None, World::Reactor) if facts.has_embedded_world => {
            "it exports no `_start` and its embedded WIT world no HTTP handler, so it is a library"
        }
        (None, World::Reactor) => "it exports no `_start`, so it is a library",
    }
}

/// The names of a component's own imports and exports (not those of the
/// modules and components nested in it).
fn component_names(component: &[u8]) -> (Vec<String>, Vec<String>) {
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    let mut nesting = 0u32;
    for payload in Parser::new(0).parse_all(component).flatten() {
        match payload {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => nesting += 1,
            Payload::End(_) => nesting = nesting.saturating_sub(1),
            Payload::ComponentImportSection(section) if nesting == 0 => {
                imports.extend(
                    section
                        .into_iter()
                        .flatten()
                        .map(|i| i.name.name.to_owned()),
                );
            }
            Payload::ComponentExportSection(section) if nesting == 0 => exports.extend(
                section
                    .into_iter()
                    .flatten()
                    .filter(|e| {
                        matches!(
                            e.kind,
                            ComponentExternalKind::Instance | ComponentExternalKind::Func
                        )
                    })
                    .map(|e| e.name.name.to_owned()),
            ),
            _ => {}
        }
    }
    (imports, exports)
}
