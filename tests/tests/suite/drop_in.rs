//! The drop-in adapter file (`wasi-upgrade adapter`, `COMMAND_ADAPTER`)
//! spliced into unchanged modules by the tools toolchains use (`wasm-tools
//! component new --adapt`, `jco new --adapt`), run on both hosts and
//! compared with native preview1.
//!
//! Without the memory rewrite the adapter cannot hide its region, so the
//! programs whose runtime sizes its heap from `memory.size` (Go, the greedy
//! allocator) are left out, as the README says; everything here grows memory
//! after its first WASI call, which the adapter must tolerate.

use wasi_upgrade_tests::{DropInComponent, Host, JcoDropIn, SpliceTool, assert_same_as_oracle};

use super::corpus::cases;

macro_rules! drop_in {
    ($($name:ident),* $(,)?) => {
        mod wasm_tools_on_wasmtime {
            $(#[test] fn $name() { super::check(&super::DropInComponent { tool: super::SpliceTool::WasmTools }, stringify!($name), super::cases::$name); })*
        }
        mod jco_new_on_wasmtime {
            $(#[test] fn $name() { super::check(&super::DropInComponent { tool: super::SpliceTool::JcoNew }, stringify!($name), super::cases::$name); })*
        }
        mod wasm_tools_on_jco {
            $(#[test] fn $name() { super::check(&super::JcoDropIn { tool: super::SpliceTool::WasmTools }, stringify!($name), super::cases::$name); })*
        }
        mod jco_new_on_jco {
            $(#[test] fn $name() { super::check(&super::JcoDropIn { tool: super::SpliceTool::JcoNew }, stringify!($name), super::cases::$name); })*
        }
    };
}

fn check(host: &dyn Host, name: &str, case: fn() -> wasi_upgrade_tests::Case) {
    assert_same_as_oracle(host, name, &case());
}

drop_in! {
    hello,
    exit_raw_3,
    exit_std_255,
    args_1000,
    env_10000,
    stdin_echo_1mb,
    big_vec,
    poll_fds,
    fs_readdir,
    fs_many_fds,
    fs_std,
    c_dirent,
}
