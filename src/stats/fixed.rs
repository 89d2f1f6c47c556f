//! Fixed-point sums: values kept to 2^-32 in 128-bit integers, so that sums add, merge and
//! subtract exactly, in any order.

/// The scale of a fixed-point value: 2^32 units per 1.
pub(crate) const SCALE: f64 = 4_294_967_296.0;

/// `value · 2^32` rounded to the nearest whole number (half away from zero), without the libm
/// call of `f64::round` or the slow float-to-i128 conversion where the result fits in an `i64`.
pub(crate) fn fixed(value: f64) -> i128 {
    let scaled = value * SCALE;
    if scaled.abs() < 9.0e18 {
        (scaled + 0.5_f64.copysign(scaled)) as i64 as i128
    } else {
        scaled.round() as i128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_like_round_on_both_paths() {
        for value in [
            0.0, 1.5, -1.5, 2.25e-10, -7.75, 1e9, -1e9, 3.0e9, -3.0e9, 1e12, -1e12,
        ] {
            assert_eq!(fixed(value), (value * SCALE).round() as i128, "{value}");
        }
    }
}
