//! A library built with wit-bindgen: its export reads a file through
//! `std::fs`, so through WASI preview1 and the adapter.

wit_bindgen::generate!({
    inline: "
        package wasi-upgrade-tests:file-length;

        world file-length {
            /// The length of the file at `path`, or why it cannot be read.
            export length-of: func(path: string) -> result<u64, string>;
        }
    ",
});

struct FileLength;

impl Guest for FileLength {
    fn length_of(path: String) -> Result<u64, String> {
        std::fs::read(&path)
            .map(|bytes| bytes.len() as u64)
            .map_err(|e| format!("{path}: {e}"))
    }
}

export!(FileLength);
