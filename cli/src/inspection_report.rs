//! `wasi-upgrade inspect`: prints what [`wasi_upgrade::inspect`] found, as
//! text for people or as one JSON object for scripts.

use std::process::ExitCode;

use serde_json::json;
use wasi_upgrade::{AdapterBuild, FunctionRow, Inspection, World, one_line};

use crate::{InspectArgs, options, read, report};

pub(crate) fn inspect(args: &InspectArgs) -> Result<ExitCode, String> {
    let module = read(&args.input)?;
    let inspection = wasi_upgrade::inspect(&module, &options(args.world, args.wasi_version));
    if args.json {
        println!("{}", to_json(&inspection));
    } else {
        print!("{}", to_text(&inspection));
    }
    Ok(match &inspection.problem {
        None => ExitCode::SUCCESS,
        Some(problem) => {
            if !args.json {
                report(&one_line(problem));
            }
            ExitCode::FAILURE
        }
    })
}

fn build_name(build: AdapterBuild) -> &'static str {
    match build {
        AdapterBuild::Full => "full",
        AdapterBuild::Stdio => "stdio",
        AdapterBuild::Preopens => "preopens",
        AdapterBuild::Server => "server",
        _ => "unknown",
    }
}

fn world_name(world: World) -> &'static str {
    match world {
        World::Command => "command",
        World::Reactor => "reactor",
        World::Proxy => "proxy",
        _ => "unknown",
    }
}

/// Notes are Markdown; on a terminal the emphasis marks are only noise.
fn plain(notes: &str) -> String {
    notes.replace("**", "")
}

fn to_text(inspection: &Inspection) -> String {
    let mut text = String::new();
    match (inspection.world, inspection.world_reason) {
        (Some(world), Some(reason)) => {
            text += &format!("component: {} ({reason})\n", world_name(world));
        }
        _ => text += "component: none (the module cannot be upgraded)\n",
    }
    match inspection.adapter {
        Some(AdapterBuild::Server) => {
            text += "adapter: server (it imports sock_accept, so it listens where \
                     WASI_UPGRADE_TCPLISTEN says)\n";
        }
        Some(AdapterBuild::Stdio) => {
            text += "adapter: stdio (no function it imports can reach a file, directory or \
                     socket, so the filesystem and sockets are not imported)\n";
        }
        Some(AdapterBuild::Preopens) => {
            text += "adapter: preopens (no function it imports can open a file, list a \
                     directory or accept a connection, so it carries no code for them)\n";
        }
        Some(build) => text += &format!("adapter: {}\n", build_name(build)),
        None => {}
    }
    text += &format!(
        "preview1 functions imported: {}\n",
        inspection.preview1_functions.len()
    );
    for name in &inspection.preview1_functions {
        match FunctionRow::of(name) {
            Some(row) if !row.notes.is_empty() => {
                text += &format!("  {name}: {}\n", plain(row.notes));
            }
            Some(_) => text += &format!("  {name}\n"),
            None => text += &format!("  {name}: not a preview1 function\n"),
        }
    }
    for (title, names) in [
        ("component imports", &inspection.component_imports),
        ("component exports", &inspection.component_exports),
    ] {
        if inspection.problem.is_none() {
            text += &format!("{title}: {}\n", names.len());
            for name in names {
                text += &format!("  {name}\n");
            }
        }
    }
    text
}

fn to_json(inspection: &Inspection) -> serde_json::Value {
    let functions: Vec<_> = inspection
        .preview1_functions
        .iter()
        .map(|name| {
            json!({
                "name": name,
                "notes": FunctionRow::of(name).map(|row| row.notes),
            })
        })
        .collect();
    json!({
        "world": inspection.world.map(world_name),
        "world_reason": inspection.world_reason,
        "serves_sockets": inspection.serves_sockets,
        "adapter": inspection.adapter.map(build_name),
        "preview1_functions": functions,
        "component_imports": inspection.component_imports,
        "component_exports": inspection.component_exports,
        "problem": inspection.problem.as_ref().map(|problem| one_line(problem)),
    })
}
