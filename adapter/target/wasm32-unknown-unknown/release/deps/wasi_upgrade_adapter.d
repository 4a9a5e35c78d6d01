/work/main/adapter/target/wasm32-unknown-unknown/release/deps/wasi_upgrade_adapter.d: src/lib.rs src/abi.rs src/args_env.rs src/clocks.rs src/directories.rs src/errno.rs src/exit.rs src/fd_table.rs src/files.rs src/poll.rs src/random.rs src/readdir.rs src/region_layout.rs src/sockets.rs src/state/mod.rs src/state/arena.rs src/state/guest.rs src/wasi/mod.rs src/wasi/cli.rs src/wasi/clocks.rs src/wasi/filesystem.rs src/wasi/io.rs src/wasi/random.rs

/work/main/adapter/target/wasm32-unknown-unknown/release/deps/wasi_upgrade_adapter.wasm: src/lib.rs src/abi.rs src/args_env.rs src/clocks.rs src/directories.rs src/errno.rs src/exit.rs src/fd_table.rs src/files.rs src/poll.rs src/random.rs src/readdir.rs src/region_layout.rs src/sockets.rs src/state/mod.rs src/state/arena.rs src/state/guest.rs src/wasi/mod.rs src/wasi/cli.rs src/wasi/clocks.rs src/wasi/filesystem.rs src/wasi/io.rs src/wasi/random.rs

src/lib.rs:
src/abi.rs:
src/args_env.rs:
src/clocks.rs:
src/directories.rs:
src/errno.rs:
src/exit.rs:
src/fd_table.rs:
src/files.rs:
src/poll.rs:
src/random.rs:
src/readdir.rs:
src/region_layout.rs:
src/sockets.rs:
src/state/mod.rs:
src/state/arena.rs:
src/state/guest.rs:
src/wasi/mod.rs:
src/wasi/cli.rs:
src/wasi/clocks.rs:
src/wasi/filesystem.rs:
src/wasi/io.rs:
src/wasi/random.rs:
