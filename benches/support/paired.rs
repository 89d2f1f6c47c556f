//! Medians and ranges of paired measurements, for the benches that time in rounds rather than
//! with criterion (`scaling`, `ratios`).

/// The median of some values, which it sorts.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The median of some values with their range, `digits` after the point: "9.72 (9.16-10.13)".
pub fn summary(values: &mut [f64], digits: usize) -> String {
    let m = median(values);
    let (lo, hi) = (values[0], values[values.len() - 1]);
    format!("{m:.digits$} ({lo:.digits$}-{hi:.digits$})")
}

/// The bench's arguments but those `cargo bench` passes (`--bench`): each keeps the readers
/// whose name contains it.
pub fn filters() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect()
}

/// The rounds to run: the environment variable `var`, else `default`; at least one.
pub fn rounds(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
        .max(1)
}
