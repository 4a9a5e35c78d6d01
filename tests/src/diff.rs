//! Readable descriptions of how two byte strings differ.

/// Lines of context shown around the first differing line.
const CONTEXT_LINES: usize = 2;
/// Longest excerpt of one line shown, in characters.
const MAX_LINE_CHARS: usize = 160;

/// `None` if `a == b`; otherwise where they first differ, with the
/// surrounding lines of each side.
pub(crate) fn bytes(a: &[u8], label_a: &str, b: &[u8], label_b: &str) -> Option<String> {
    if a == b {
        return None;
    }
    let offset = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let line = a[..offset].iter().filter(|&&byte| byte == b'\n').count();
    let width = label_a.len().max(label_b.len());
    let mut report = format!(
        "first difference at byte {offset} (line {}); {label_a}: {} bytes, {label_b}: {} bytes\n",
        line + 1,
        a.len(),
        b.len()
    );
    for (label, side) in [(label_a, a), (label_b, b)] {
        let lines: Vec<&[u8]> = side.split(|&byte| byte == b'\n').collect();
        let first = line.saturating_sub(CONTEXT_LINES);
        let last = (line + CONTEXT_LINES).min(lines.len().saturating_sub(1));
        for (number, text) in lines.iter().enumerate().take(last + 1).skip(first) {
            let marker = if number == line { '>' } else { ' ' };
            report.push_str(&format!("{marker} {label:width$} {:>6}: {}\n", number + 1, excerpt(text)));
        }
        if lines.len() <= line {
            report.push_str(&format!("> {label:width$}    end of output\n"));
        }
    }
    Some(report.trim_end().to_owned())
}

fn excerpt(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let mut shown: String = text.chars().take(MAX_LINE_CHARS).collect::<String>().escape_debug().to_string();
    if text.chars().count() > MAX_LINE_CHARS {
        shown.push_str("...");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn equal_inputs_have_no_difference() {
        assert_eq!(bytes(b"same\n", "a", b"same\n", "b"), None);
    }

    #[test]
    fn points_at_the_first_differing_line_of_each_side() {
        let report = bytes(b"1\n2\n3\n4\n5\n6\n", "native", b"1\n2\n3\nfour\n5\n6\n", "upgraded").unwrap();
        assert!(report.starts_with("first difference at byte 6 (line 4)"), "{report}");
        assert!(report.contains(">   native      4: 4"), "{report}");
        assert!(report.contains("> upgraded      4: four"), "{report}");
        assert!(report.contains("    native      2: 2"), "{report}");
        assert!(!report.contains("      1: 1"), "context is limited: {report}");
    }

    #[test]
    fn a_missing_tail_is_reported() {
        let report = bytes(b"a\nb\nc\n", "native", b"a\n", "upgraded").unwrap();
        assert!(report.contains("native: 6 bytes, upgraded: 2 bytes"), "{report}");
        assert!(report.contains("> upgraded      2: "), "{report}");
    }
}
