// Files from AssemblyScript through the shim's preview1 bindings (the shim
// has no file API): find the preopen "/sandbox", create a file, write it in
// pieces, read it back, read an existing file, and see a missing one fail.
import {
  errno, fd_close, fd_prestat_dir_name, fd_prestat_get, fd_read, fd_write,
  lookupflags, oflags, path_open, prestat, rights,
} from "bindings/wasi_snapshot_preview1";

const scratch = memory.data(64);

function findPreopen(name: string): i32 {
  for (let fd = 3; fd < 64; fd++) {
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != errno.SUCCESS) return -1;
    const len = load<u32>(scratch, 4);
    const buffer = new ArrayBuffer(len);
    fd_prestat_dir_name(fd, changetype<usize>(buffer), len);
    if (String.UTF8.decode(buffer) == name) return fd;
  }
  return -1;
}

function open(dir: i32, path: string, flags: u16): i32 {
  const encoded = String.UTF8.encode(path);
  const all: u64 = rights.FD_READ | rights.FD_WRITE | rights.FD_SEEK | rights.FD_FILESTAT_GET;
  const result = path_open(dir, lookupflags.SYMLINK_FOLLOW, changetype<usize>(encoded), encoded.byteLength,
    flags, all, all, 0, scratch);
  return result == errno.SUCCESS ? load<i32>(scratch) : -(result as i32);
}

function write(fd: i32, text: string): u32 {
  const encoded = String.UTF8.encode(text);
  store<usize>(scratch, changetype<usize>(encoded), 8);
  store<usize>(scratch, encoded.byteLength, 12);
  fd_write(fd, scratch + 8, 1, scratch + 16);
  return load<u32>(scratch, 16);
}

function readAll(fd: i32): string {
  let text = "";
  const buffer = new ArrayBuffer(100);
  while (true) {
    store<usize>(scratch, changetype<usize>(buffer), 8);
    store<usize>(scratch, buffer.byteLength, 12);
    if (fd_read(fd, scratch + 8, 1, scratch + 16) != errno.SUCCESS) return text + "<read failed>";
    const got = load<u32>(scratch, 16);
    if (got == 0) return text;
    text += String.UTF8.decode(buffer.slice(0, got));
  }
}

const sandbox = findPreopen("/sandbox");
console.log("/sandbox is fd " + sandbox.toString());

const hello = open(sandbox, "hello.txt", 0);
console.log("hello.txt: \"" + readAll(hello) + "\"");
fd_close(hello);

console.log("missing.txt: errno " + (-open(sandbox, "missing.txt", 0)).toString());
console.log("create over a directory: errno " + (-open(sandbox, "dir", oflags.CREAT | oflags.TRUNC)).toString());

const out = open(sandbox, "made.txt", oflags.CREAT | oflags.TRUNC);
let written: u32 = 0;
for (let i = 0; i < 500; i++) written += write(out, "line " + i.toString() + "\n");
fd_close(out);
console.log("wrote " + written.toString() + " bytes");

const back = readAll(open(sandbox, "made.txt", 0));
console.log("read back " + back.length.toString() + " chars, ends \"" + back.slice(back.length - 9) + "\"");
