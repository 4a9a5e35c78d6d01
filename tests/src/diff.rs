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
    let offset = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
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
            report.push_str(&format!(
                "{marker} {label:width$} {:>6}: {}\n",
                number + 1,
                excerpt(text)
            ));
        }
        if lines.len() <= line {
            report.push_str(&format!("> {label:width$}    end of output\n"));
        }
    }
    Some(report.trim_end().to_owned())
}

fn excerpt(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let mut shown: String = text
        .chars()
        .take(MAX_LINE_CHARS)
        .collect::<String>()
        .escape_debug()
        .to_string();
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
        let report = bytes(
            b"1\n2\n3\n4\n5\n6\n7\n",
            "native",
            b"1\n2\n3\nfour\n5\n6\n7\n",
            "upgraded",
        )
        .unwrap();
        let expected = [
            "first difference at byte 6 (line 4); native: 14 bytes, upgraded: 17 bytes",
            "  native        2: 2",
            "  native        3: 3",
            "> native        4: 4",
            "  native        5: 5",
            "  native        6: 6",
            "  upgraded      2: 2",
            "  upgraded      3: 3",
            "> upgraded      4: four",
            "  upgraded      5: 5",
            "  upgraded      6: 6",
        ];
        assert_eq!(report, expected.join("\n"));
    }

    #[test]
    fn a_missing_tail_is_reported() {
        let report = bytes(b"a\nb\nc", "native", b"a", "upgraded").unwrap();
        let expected = [
            "first difference at byte 1 (line 1); native: 5 bytes, upgraded: 1 bytes",
            "> native        1: a",
            "  native        2: b",
            "  native        3: c",
            "> upgraded      1: a",
        ];
        assert_eq!(report, expected.join("\n"));
    }

    #[test]
    fn long_lines_and_control_characters_are_shortened_and_escaped() {
        let long = [b'x'; 500];
        let report = bytes(&long, "a", b"\x1b[0m\t", "b").unwrap();
        assert!(
            report.contains(&format!("> a      1: {}...", "x".repeat(160))),
            "{report}"
        );
        assert!(report.contains("> b      1: \\u{1b}[0m\\t"), "{report}");
    }
}
