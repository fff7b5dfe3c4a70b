//! What both driver guests share that has nothing to do with the engine: the WIT names of the error
//! enums, and reading an ASCII decimal number exactly (sensor files hold "4.25\n"). Included by each guest
//! with `#[path]`: a guest is one rustc invocation with no crates.
#![allow(dead_code)]

pub const FS_ERRORS: [&str; 5] = ["denied", "not-found", "wrong-kind", "too-large", "io"];

pub fn fs_error_name(code: u8) -> &'static str {
    match FS_ERRORS.get(code as usize) {
        Some(name) => name,
        None => "unknown fs-error",
    }
}

/// ASCII whitespace, including vertical tab (which `u8::is_ascii_whitespace` leaves out).
pub fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The bytes without leading and trailing whitespace.
pub fn trim(mut text: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = text {
        if !is_space(*first) {
            break;
        }
        text = rest;
    }
    while let [rest @ .., last] = text {
        if !is_space(*last) {
            break;
        }
        text = rest;
    }
    text
}

/// Exact powers of ten in f64 (10^22 is the largest one exactly representable).
pub const POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22,
];

/// A decimal number, with optional surrounding whitespace: `[+-]digits[.digits][(e|E)[+-]digits]`, with
/// digits on at least one side of the point ("12", "-0.5", "4.25\n", ".5", "1e3"). None for anything
/// else (empty, a name such as "nan", hexadecimal, a second number) and for a value beyond f64's range.
///
/// Up to 19 significant digits are kept (more are dropped, scaling the exponent). When the digits fit
/// in 53 bits and the exponent is at most 22 either way, one multiplication or division by an exact
/// power of ten gives the correctly rounded value (Clinger's fast path); this covers every reading a
/// sensor writes. Beyond it, repeated scaling gives a value within a few units in the last place.
pub fn parse_decimal(text: &[u8]) -> Option<f64> {
    const KEEP_BELOW: u64 = 1_000_000_000_000_000_000;
    let (negative, mut rest) = match trim(text) {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        text => (false, text),
    };
    let mut mantissa: u64 = 0;
    let mut exponent: i64 = 0;
    let mut digits = 0;
    let mut point = false;
    loop {
        match rest {
            [digit @ b'0'..=b'9', tail @ ..] => {
                if mantissa < KEEP_BELOW {
                    mantissa = mantissa * 10 + (*digit - b'0') as u64;
                    exponent -= point as i64;
                } else {
                    exponent += !point as i64;
                }
                digits += 1;
                rest = tail;
            }
            [b'.', tail @ ..] if !point => {
                point = true;
                rest = tail;
            }
            _ => break,
        }
    }
    if digits == 0 {
        return None;
    }
    if let [b'e' | b'E', tail @ ..] = rest {
        let (negative_exponent, tail) = match tail {
            [b'-', tail @ ..] => (true, tail),
            [b'+', tail @ ..] => (false, tail),
            tail => (false, tail),
        };
        rest = tail;
        let mut written: i64 = 0;
        let mut seen = false;
        while let [digit @ b'0'..=b'9', tail @ ..] = rest {
            if written < 100_000 {
                written = written * 10 + (*digit - b'0') as i64;
            }
            seen = true;
            rest = tail;
        }
        if !seen {
            return None;
        }
        exponent += if negative_exponent { -written } else { written };
    }
    if !rest.is_empty() {
        return None;
    }
    let magnitude = scale(mantissa, exponent);
    if !magnitude.is_finite() {
        return None;
    }
    Some(if negative { -magnitude } else { magnitude })
}

/// 10^`n` for 0 <= n <= 22.
pub fn power(n: i64) -> f64 {
    match POWERS.get(n as usize) {
        Some(power) => *power,
        None => 1.0,
    }
}

/// `mantissa × 10^exponent`.
pub fn scale(mantissa: u64, exponent: i64) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let mut value = mantissa as f64;
    if mantissa < 1 << 53 && (-22..=22).contains(&exponent) {
        return if exponent >= 0 { value * power(exponent) } else { value / power(-exponent) };
    }
    let mut left = exponent;
    while left > 0 && value.is_finite() {
        let step = if left > 22 { 22 } else { left };
        value *= power(step);
        left -= step;
    }
    while left < 0 && value != 0.0 {
        let step = if left < -22 { 22 } else { -left };
        value /= power(step);
        left += step;
    }
    value
}

/// `enum net-error`, the WIT names in WIT order.
pub const NET_ERRORS: [&str; 9] = ["denied", "bad-address", "refused", "unreachable", "timeout", "closed", "quota", "bad-handle", "too-many"];

pub fn net_error_name(code: u8) -> &'static str {
    match NET_ERRORS.get(code as usize) {
        Some(name) => name,
        None => "unknown net-error",
    }
}
