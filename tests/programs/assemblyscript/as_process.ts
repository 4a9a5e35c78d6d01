// AssemblyScript with @assemblyscript/wasi-shim: process.argv and
// process.env, console.log and process.stdout/stderr, and process.exit with
// the code given as the first argument.
const argv = process.argv;
console.log("argc " + argv.length.toString());
for (let i = 0; i < argv.length; i++) {
  console.log("arg " + i.toString() + ": \"" + argv[i] + "\"");
}

const keys = process.env.keys();
keys.sort();
console.log("env count " + keys.length.toString());
for (let i = 0; i < keys.length; i++) {
  console.log("env " + keys[i] + "=\"" + process.env.get(keys[i]) + "\"");
}
console.log("AS_PROBE set: " + process.env.has("AS_PROBE").toString());

process.stdout.write("written with process.stdout.write\n");
process.stderr.write("to stderr from AssemblyScript\n");
console.error("console.error too");

const code = argv.length > 1 ? I32.parseInt(argv[1]) : 0;
console.log("exiting with " + code.toString());
process.exit(code);
