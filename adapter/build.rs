//! Link flags that make the adapter share the program's memory instead of
//! owning one: wit-component rejects an adapter that defines a memory.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=--import-memory");
    // No data may be placed anywhere: the program owns all of memory.
    println!("cargo:rustc-cdylib-link-arg=--global-base=0");
    println!("cargo:rustc-cdylib-link-arg=-zstack-size=0");
    println!("cargo:rerun-if-changed=build.rs");
}
