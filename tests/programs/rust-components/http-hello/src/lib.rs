//! An HTTP handler built with wit-bindgen for the `wasi:http/proxy` world,
//! as a preview1 module: its logging goes through `println!`/`eprintln!`,
//! so through preview1 `fd_write` and the adapter.
//!
//! Routes: `/hello/<name>` greets, `/probe` reports what the preview1
//! functions a proxy host cannot back answer, `/exit` calls
//! `std::process::exit(0)` (which a proxy cannot do), anything else is 404.

wit_bindgen::generate!({
    // The project's WIT: the vendored WASI 0.2.12 packages.
    path: "../../../../wit",
    world: "wasi:http/proxy@0.2.12",
    generate_all,
});

use exports::wasi::http::incoming_handler::Guest;
use wasi::http::types::{
    Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};

struct Hello;

impl Guest for Hello {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let path = request.path_with_query().unwrap_or_default();
        println!("handling {path}");
        let (status, body) = if let Some(name) = path.strip_prefix("/hello/") {
            (200, format!("hello, {name}!\n"))
        } else if path == "/probe" {
            (200, probe())
        } else if path == "/exit" {
            std::process::exit(0)
        } else {
            (404, format!("no route for {path}\n"))
        };
        eprintln!("answered {path} with {status}");

        let headers = Fields::from_list(&[("content-type".to_owned(), b"text/plain".to_vec())])
            .expect("a valid header");
        let response = OutgoingResponse::new(headers);
        response.set_status_code(status).expect("a valid status");
        let outgoing = response.body().expect("the body, taken once");
        ResponseOutparam::set(response_out, Ok(response));
        let stream = outgoing.write().expect("the body's stream, taken once");
        stream
            .blocking_write_and_flush(body.as_bytes())
            .expect("writing the body");
        drop(stream);
        OutgoingBody::finish(outgoing, None).expect("finishing the body");
    }
}

export!(Hello);

/// The preview1 functions whose 0.2 interfaces the proxy world lacks, called
/// directly, one `name=errno` (and what they returned) per line.
fn probe() -> String {
    let mut report = String::new();
    let (mut count, mut size) = (u32::MAX, u32::MAX);
    // SAFETY (every call here): valid pointers to locals, as preview1 asks.
    let errno = unsafe { preview1::args_sizes_get(&mut count, &mut size) };
    report += &format!("args_sizes_get={errno} count={count} size={size}\n");
    let (mut count, mut size) = (u32::MAX, u32::MAX);
    let errno = unsafe { preview1::environ_sizes_get(&mut count, &mut size) };
    report += &format!("environ_sizes_get={errno} count={count} size={size}\n");
    let mut buffer = [0u8; 24];
    let errno = unsafe { preview1::fd_prestat_get(3, buffer.as_mut_ptr()) };
    report += &format!("fd_prestat_get(3)={errno}\n");
    let errno = unsafe { preview1::fd_fdstat_get(3, buffer.as_mut_ptr()) };
    report += &format!("fd_fdstat_get(3)={errno}\n");
    let mut opened = -1;
    let path = b"file.txt";
    let errno =
        unsafe { preview1::path_open(3, 0, path.as_ptr(), path.len(), 0, 0, 0, 0, &mut opened) };
    report += &format!("path_open(3)={errno}\n");
    let errno = unsafe { preview1::fd_close(3) };
    report += &format!("fd_close(3)={errno}\n");
    let errno = unsafe { preview1::fd_fdstat_get(1, buffer.as_mut_ptr()) };
    report += &format!("fd_fdstat_get(1)={errno}\n");
    report
}

mod preview1 {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    unsafe extern "C" {
        pub fn args_sizes_get(count: *mut u32, size: *mut u32) -> i32;
        pub fn environ_sizes_get(count: *mut u32, size: *mut u32) -> i32;
        pub fn fd_prestat_get(fd: i32, prestat: *mut u8) -> i32;
        pub fn fd_fdstat_get(fd: i32, stat: *mut u8) -> i32;
        #[allow(clippy::too_many_arguments)]
        pub fn path_open(
            fd: i32,
            dirflags: i32,
            path: *const u8,
            path_len: usize,
            oflags: i32,
            rights_base: i64,
            rights_inheriting: i64,
            fdflags: i32,
            opened: *mut i32,
        ) -> i32;
        pub fn fd_close(fd: i32) -> i32;
    }
}
