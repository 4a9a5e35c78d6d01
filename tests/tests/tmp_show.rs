use wasi_upgrade_tests::*;
#[test]
fn show() {
    for (p, pre) in [("rust/fdstat", 0), ("rust/poll_clocks", 0), ("rust/prestat", 3), ("go/goroutines", 0), ("wat/greedy_alloc", 0), ("rust/sleep", 0), ("rust/random", 0), ("rust/clocks",0)] {
        let mut case = Case::new(p);
        for i in 0..pre { case = case.preopen(Preopen::new(format!("/d{i}"))); }
        let t = std::time::Instant::now();
        let o = run(&NativePreview1, &case).unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let lines: Vec<&str> = out.lines().collect();
        let shown = if lines.len() > 40 { [&lines[..20], &["..."], &lines[lines.len()-15..]].concat() } else { lines.clone() };
        eprintln!("=== {p} ({:?}) {}\n{}\nstderr: {}", t.elapsed(), o.exit, shown.join("\n"), String::from_utf8_lossy(&o.stderr));
    }
}
