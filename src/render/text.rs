//! Text for pictures: markup escaping, estimated widths, wrapping and shortening, numbers.
//!
//! Widths are estimated, not measured: a picture is drawn without fonts. The estimate is
//! conservative for the sans-serif fonts browsers use (wide letters count wider), so text
//! fitted by it stays inside its box; the render tests check that with real font metrics.

use std::fmt::Write as _;

/// Escapes text for XML and HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for XML and HTML. Control characters that XML 1.0 does
/// not allow are replaced by U+FFFD, so that any name gives a well-formed document.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// The estimated width of one character, in ems, of a regular sans-serif face: DejaVu Sans's
/// advances rounded up (the widest of the common sans-serif faces), so that other faces fit.
fn em_width(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | 'I' => 0.33,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.43,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '—' | '…' => 1.0,
        'A'..='Z' | '#' | '&' | '+' | '=' | '<' | '>' | '~' | '?' | '_' => 0.79,
        c if c.is_ascii() => 0.65,
        // CJK and other wide characters.
        c if c as u32 >= 0x1100 => 1.05,
        _ => 0.8,
    }
}

/// Bold faces are about a tenth wider.
const BOLD: f64 = 1.12;

/// The estimated width of `text` at `size` pixels, bold or not.
pub(crate) fn width(text: &str, size: f64, bold: bool) -> f64 {
    let w = text.chars().map(em_width).sum::<f64>() * size;
    if bold { w * BOLD } else { w }
}

/// `text` cut to fit `max` pixels at `size`, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, size: f64, bold: bool, max: f64) -> String {
    let text = text.trim();
    if width(text, size, bold) <= max {
        return text.to_owned();
    }
    let scale = if bold { size * BOLD } else { size };
    let budget = max - em_width('…') * scale;
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += em_width(c) * scale;
        if used > budget {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// `text` wrapped at spaces into at most `lines` lines of at most `max` pixels at `size`; the
/// last line is shortened with an ellipsis when the text does not fit. A word longer than a
/// line is cut.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, size, bold) <= max {
            current = candidate;
            continue;
        }
        if out.len() + 1 == lines {
            // The last line: what is left, shortened.
            let rest: Vec<&str> = std::iter::once(word).chain(words).collect();
            let all = if current.is_empty() {
                rest.join(" ")
            } else {
                format!("{current} {}", rest.join(" "))
            };
            out.push(shorten(&all, size, bold, max));
            return out;
        }
        if current.is_empty() {
            // One word wider than a line: cut it.
            out.push(shorten(word, size, bold, max));
        } else {
            out.push(std::mem::take(&mut current));
            if width(word, size, bold) <= max {
                current = word.to_owned();
            } else if out.len() + 1 == lines {
                let rest: Vec<&str> = std::iter::once(word).chain(words).collect();
                out.push(shorten(&rest.join(" "), size, bold, max));
                return out;
            } else {
                out.push(shorten(word, size, bold, max));
            }
        }
        if out.len() == lines {
            return out;
        }
    }
    if !current.is_empty() && out.len() < lines {
        out.push(current);
    }
    out
}

/// An integer with thousands separators: `12,345`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage: `42%`, or `0.4%` below one percent.
pub(crate) fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// Seconds in the unit a person would use: `45 s`, `3.5 min`, `2.1 h`, `3.0 d`.
pub(crate) fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "n/a".to_owned();
    }
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5_400.0 {
        format!("{:.1} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3_600.0)
    } else {
        format!("{:.1} d", seconds / 86_400.0)
    }
}

/// A number with at most `decimals` decimals and no trailing zeros: `4.1`, `-0.25`, `3`.
pub(crate) fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    let mut text = String::new();
    let _ = write!(text, "{value:.decimals$}");
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    if text == "-0" {
        text = "0".to_owned();
    }
    text
}

/// A coordinate written with at most one decimal.
pub(crate) fn coord(value: f64) -> String {
    number(value, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jerry'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;\u{FFFD}"
        );
    }

    #[test]
    fn wraps_within_the_width_and_shortens_the_last_line() {
        let lines = wrap(
            "Proof of address arrives by post after a long wait",
            13.0,
            true,
            150.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(
            lines.iter().all(|l| width(l, 13.0, true) <= 150.0),
            "{lines:?}"
        );
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("Short", 13.0, true, 150.0, 2), ["Short"]);
        let long = "x".repeat(10_000);
        let cut = wrap(&long, 13.0, false, 150.0, 2);
        assert_eq!(cut.len(), 1);
        assert!(width(&cut[0], 13.0, false) <= 150.0);
        assert!(wrap("", 13.0, false, 150.0, 2).is_empty());
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(12), "12");
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(0.004), "0.4%");
        assert_eq!(duration(45.0), "45 s");
        assert_eq!(duration(5_136.0), "85.6 min");
        assert_eq!(number(4.10, 2), "4.1");
        assert_eq!(number(-0.0001, 2), "0");
    }
}
