#!/usr/bin/env node
// `wasi-upgrade` on Node.js alone: the upgrade command of the native CLI,
// running the wasi-upgrade library compiled to a WASI 0.2 component and
// transpiled by jco (npm/build.sh writes it into ../dist). It writes the same
// bytes as `wasi-upgrade IN -o OUT`; `run`, `serve`, `inspect` and `adapter`
// need the native command.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";

const HELP = `Upgrade WASI preview1 modules into WASI 0.2 components that run on any 0.2 host
(the upgrade command of wasi-upgrade, on Node.js)

Usage: wasi-upgrade.mjs [upgrade] <INPUT> -o <FILE> [--world <WORLD>] [--wasi-version <VERSION>]

Arguments:
  <INPUT>  The WASI preview1 module: a .wasm file, or WebAssembly text

Options:
  -o, --output <FILE>        Where to write the component; \`-\` writes it to stdout. The
                             component goes to a temporary file in the same directory, which
                             is then renamed into place, so FILE is never left half-written
      --world <WORLD>        The kind of component to make: command, reactor or proxy
                             [default: command if the module exports \`_start\`, reactor otherwise]
      --wasi-version <VERSION>
                             The WASI 0.2 release the component imports, 0.2.0 to 0.2.12;
                             below 0.2.12 exit codes other than 0 become 1 [default: 0.2.12]
  -h, --help                 Print help
  -V, --version              Print version

Examples:
  Upgrade a program:
    node npm/bin/wasi-upgrade.mjs app.wasm -o app.component.wasm
  Upgrade a library, and write the component to stdout:
    node npm/bin/wasi-upgrade.mjs lib.wasm --world reactor -o - > lib.component.wasm
  Upgrade for a host that only knows WASI 0.2.0:
    node npm/bin/wasi-upgrade.mjs app.wasm -o app.component.wasm --wasi-version 0.2.0

The output is byte for byte what the native \`wasi-upgrade\` writes. To run, serve or inspect
a module, or to write a drop-in adapter file, install the native command (cargo install).

Exit status:
  0    success
  1    the input cannot be upgraded, or a file cannot be read or written
  2    the command line is wrong`;

const WORLDS = ["command", "reactor", "proxy"];
const NATIVE_ONLY = ["run", "serve", "inspect", "adapter"];

/** Stops with `message` on one line and `status`. */
function fail(message, status) {
  process.stderr.write(`wasi-upgrade: error: ${message.split("\n")[0]}\n`);
  process.exit(status);
}

/** A Node file-system error without the path it repeats: `ENOENT: no such file or directory`. */
function systemMessage(error) {
  return String(error?.message ?? error).replace(/, \w+ '.*'$/s, "");
}

function parseCommandLine(argv) {
  const args = argv[0] === "upgrade" ? argv.slice(1) : argv;
  if (NATIVE_ONLY.includes(args[0])) {
    fail(`\`${args[0]}\` needs the native wasi-upgrade (cargo install); this one only upgrades`, 2);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: "string", short: "o" },
        world: { type: "string" },
        "wasi-version": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    fail(`${error.message.split("\n")[0]} (see --help)`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help || argv.length === 0) {
    process.stdout.write(`${HELP}\n`);
    process.exit(values.help ? 0 : 2);
  }
  if (values.version) {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    process.stdout.write(`wasi-upgrade ${manifest.version}\n`);
    process.exit(0);
  }
  if (positionals.length !== 1) {
    fail(`expected one <INPUT> module, got ${positionals.length} (see --help)`, 2);
  }
  if (values.output === undefined) {
    fail("the output is not given: add -o <FILE>, or -o - for stdout (see --help)", 2);
  }
  if (values.world !== undefined && !WORLDS.includes(values.world)) {
    fail(`invalid value '${values.world}' for '--world <WORLD>': choose one of ${WORLDS.join(", ")}`, 2);
  }
  return {
    input: positionals[0],
    output: values.output,
    world: values.world,
    wasiVersion: values["wasi-version"],
  };
}

/** The transpiled library; a missing build is explained rather than thrown. */
async function loadUpgrader() {
  const entry = new URL("../dist/upgrader.js", import.meta.url);
  try {
    return (await import(entry)).upgrader;
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND") {
      fail(`the upgrader is not built (${systemMessage(error)}): run \`bash npm/build.sh\` first`, 1);
    }
    throw error;
  }
}

/** Calls a component function, turning its `result` error into a message. */
function call(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    if (error?.constructor?.name === "ComponentError" && typeof error.payload === "string") {
      return { error: error.payload };
    }
    fail(`the upgrader failed unexpectedly (please report it): ${error?.message ?? error}`, 1);
  }
}

/** Writes `bytes` to a temporary file beside `path` and renames it over
 * `path`, so `path` holds either its old content or all of the new. */
function writeWhole(path, bytes) {
  const temporary = join(dirname(path), `.wasi-upgrade-${randomBytes(6).toString("hex")}.tmp`);
  // 0o666 as the native command: the permissions of any new file, less the umask.
  const fd = openSync(temporary, "wx", 0o666);
  try {
    try {
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(fd, bytes, written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or never written: nothing is left behind either way.
    }
    throw error;
  }
}

/** Writes all of `bytes` to stdout, which Node may have made non-blocking. */
function writeStdout(bytes) {
  return new Promise((resolve, reject) => {
    // A closed pipe is reported here as well as to the callback.
    process.stdout.once("error", reject);
    process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

async function writeOutput(output, bytes) {
  try {
    if (output === "-") {
      await writeStdout(bytes);
    } else {
      writeWhole(output, bytes);
    }
  } catch (error) {
    fail(`cannot write \`${output}\`: ${systemMessage(error)}`, 1);
  }
}

const options = parseCommandLine(process.argv.slice(2));
if (options.output === "-" && process.stdout.isTTY) {
  fail("refusing to write a binary component to a terminal: redirect stdout, or write to a file with -o FILE", 1);
}
const upgrader = await loadUpgrader();
if (options.wasiVersion !== undefined) {
  const check = call(() => upgrader.checkWasiVersion(options.wasiVersion));
  if (check.error !== undefined) {
    fail(`invalid value '${options.wasiVersion}' for '--wasi-version <VERSION>': ${check.error}`, 2);
  }
}
let module;
try {
  module = readFileSync(options.input);
} catch (error) {
  fail(`cannot read \`${options.input}\`: ${systemMessage(error)}`, 1);
}
const upgraded = call(() => upgrader.upgrade(module, options.world, options.wasiVersion));
if (upgraded.error !== undefined) {
  fail(upgraded.error, 1);
}
await writeOutput(options.output, upgraded.value);
