//! File and directory operations inside the preopen at /sandbox, to exercise
//! the comparison of the directories a run leaves behind.

use std::fs;

fn main() {
    let input = fs::read_to_string("/sandbox/input.txt").expect("read input.txt");
    println!("input: {} bytes", input.len());
    fs::write("/sandbox/output.txt", input.to_uppercase()).expect("write output.txt");
    fs::create_dir_all("/sandbox/made/sub").expect("create_dir_all");
    fs::write("/sandbox/made/sub/deep.txt", b"deep\n").expect("write deep.txt");
    fs::rename("/sandbox/rename_me.txt", "/sandbox/made/renamed.txt").expect("rename");
    fs::remove_file("/sandbox/to_delete.txt").expect("remove_file");
    fs::remove_dir("/sandbox/empty_dir").expect("remove_dir");
    let mut names: Vec<String> = fs::read_dir("/sandbox")
        .expect("read_dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    println!("entries: {names:?}");
    match fs::read("/sandbox/missing.txt") {
        Ok(_) => println!("missing.txt: unexpectedly present"),
        Err(e) => println!("missing.txt: {:?}", e.kind()),
    }
}
