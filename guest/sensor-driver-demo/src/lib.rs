//! The demonstration sensor driver: a well-behaved vendor driver for world `sensor-driver` of
//! `wit/sensor-driver.wit`, with the component model canonical ABI written by hand (no bindings
//! generator, no crates). It reads two text files below its sensor root, `pressure` (required) and
//! `temperature` (optional), each an ASCII decimal number, and reports them as readings. It opens no
//! connection and never leaves its root.
//!
//! Core imports (canonical ABI lowering of the imported interfaces; results through a return area the
//! guest passes, `ret`):
//!
//! ```text
//! ics:gateway/sensor-fs@0.1.0  read-file (path_ptr i32, path_len i32, max_bytes i32, ret i32)
//! ics:gateway/log@0.1.0        write     (level i32, ptr i32, len i32)
//! ```
//!
//! Core exports:
//!
//! ```text
//! ics:gateway/driver@0.1.0#init             () -> i32 result area   result<_, string>
//! ics:gateway/driver@0.1.0#poll             () -> i32 result area   result<list<reading>, string>
//! cabi_post_ics:gateway/driver@0.1.0#poll   (result area i32)       releases what poll returned
//! cabi_realloc (old_ptr, old_size, align, new_size) -> ptr          memory for lists the host lowers
//! memory
//! ```
//!
//! Nothing here can panic (no indexing, no slicing by computed bounds), so the module holds no panic
//! messages or source paths; a guest traps only when the engine refuses to grow its memory.
//!
//! Memory: the stack (16 KiB, below the data), the data, then a bump arena from `__heap_base`, rewound at
//! the start of every export call (and by the post-return function), so memory does not grow call after
//! call: a call needs at most the two files (64 bytes each), an error message and two readings.
#![no_std]
#![cfg_attr(test, allow(dead_code))]

#[cfg(test)]
extern crate std;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// `enum fs-error`, the WIT names in WIT order (the canonical ABI lowers an enum to its index).
const FS_ERRORS: [&str; 5] = ["denied", "not-found", "wrong-kind", "too-large", "io"];
const NOT_FOUND: u8 = 1;

fn fs_error_name(code: u8) -> &'static str {
    match FS_ERRORS.get(code as usize) {
        Some(name) => name,
        None => "unknown fs-error",
    }
}

/// ASCII whitespace, including vertical tab (which `u8::is_ascii_whitespace` leaves out).
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The bytes without leading and trailing whitespace.
fn trim(mut text: &[u8]) -> &[u8] {
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
const POWERS: [f64; 23] = [
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
fn parse_decimal(text: &[u8]) -> Option<f64> {
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
fn power(n: i64) -> f64 {
    match POWERS.get(n as usize) {
        Some(power) => *power,
        None => 1.0,
    }
}

/// `mantissa × 10^exponent`.
fn scale(mantissa: u64, exponent: i64) -> f64 {
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

#[cfg(target_arch = "wasm32")]
mod driver {
    use super::*;

    const PAGE: u64 = 65536;

    /// The largest file the driver asks for: a number and a newline fit many times over.
    const MAX_FILE: u32 = 64;

    /// A result or return area: 16 bytes, aligned for anything the canonical ABI stores in one.
    #[repr(C, align(8))]
    struct Area([u8; 16]);

    /// The result area the exports return (read by the host after the call).
    static mut RESULT: Area = Area([0; 16]);
    /// The return area the guest passes to an import (written by the host during the call).
    static mut RET: Area = Area([0; 16]);

    extern "C" {
        static __heap_base: u8;
    }

    mod host {
        #[link(wasm_import_module = "ics:gateway/sensor-fs@0.1.0")]
        extern "C" {
            #[link_name = "read-file"]
            pub fn read_file(path: *const u8, path_len: usize, max_bytes: u32, ret: *mut u8);
        }

        #[link(wasm_import_module = "ics:gateway/log@0.1.0")]
        extern "C" {
            #[link_name = "write"]
            pub fn write(level: u32, message: *const u8, message_len: usize);
        }
    }

    fn result_area() -> *mut u8 {
        unsafe { core::ptr::addr_of_mut!(RESULT) as *mut u8 }
    }

    fn ret_area() -> *mut u8 {
        unsafe { core::ptr::addr_of_mut!(RET) as *mut u8 }
    }

    fn store_u8(at: *mut u8, offset: usize, value: u8) {
        unsafe { *at.add(offset) = value }
    }

    fn store_u32(at: *mut u8, offset: usize, value: u32) {
        unsafe { core::ptr::write_unaligned(at.add(offset) as *mut u32, value.to_le()) }
    }

    fn store_f64(at: *mut u8, offset: usize, value: f64) {
        unsafe { core::ptr::write_unaligned(at.add(offset) as *mut u64, value.to_bits().to_le()) }
    }

    fn load_u8(at: *const u8, offset: usize) -> u8 {
        unsafe { *at.add(offset) }
    }

    fn load_u32(at: *const u8, offset: usize) -> u32 {
        u32::from_le(unsafe { core::ptr::read_unaligned(at.add(offset) as *const u32) })
    }

    // -----------------------------------------------------------------------------------------------
    // The arena: a bump pointer from the heap base, rewound at the start of every export call.
    // -----------------------------------------------------------------------------------------------

    static mut NEXT: u32 = 0;

    fn heap_base() -> u32 {
        (unsafe { core::ptr::addr_of!(__heap_base) } as usize as u32 + 7) & !7
    }

    fn rewind() {
        unsafe { NEXT = heap_base() }
    }

    /// `size` bytes aligned to `align`; grows the memory as needed, traps when the engine refuses.
    fn alloc(align: u32, size: u32) -> u32 {
        if unsafe { NEXT } == 0 {
            rewind();
        }
        let align = if align == 0 { 1 } else { align as u64 };
        let start = (unsafe { NEXT } as u64 + align - 1) & !(align - 1);
        let end = start + size as u64;
        if end > u32::MAX as u64 {
            core::arch::wasm32::unreachable();
        }
        let have = core::arch::wasm32::memory_size(0) as u64 * PAGE;
        if end > have {
            let pages = (end - have + PAGE - 1) / PAGE;
            if core::arch::wasm32::memory_grow(0, pages as usize) == usize::MAX {
                core::arch::wasm32::unreachable();
            }
        }
        unsafe { NEXT = end as u32 };
        start as u32
    }

    /// Canonical ABI `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`.
    #[export_name = "cabi_realloc"]
    pub extern "C" fn cabi_realloc(old: u32, old_size: u32, align: u32, new_size: u32) -> u32 {
        let new = alloc(align, new_size);
        if old != 0 {
            let keep = if old_size < new_size { old_size } else { new_size };
            unsafe { core::ptr::copy(old as usize as *const u8, new as usize as *mut u8, keep as usize) };
        }
        new
    }

    /// The concatenation of `parts`, in the arena: (ptr, len).
    fn concat(parts: &[&[u8]]) -> (u32, u32) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let ptr = alloc(1, len as u32);
        let mut at = ptr as usize as *mut u8;
        for part in parts {
            unsafe {
                core::ptr::copy_nonoverlapping(part.as_ptr(), at, part.len());
                at = at.add(part.len());
            }
        }
        (ptr, len as u32)
    }

    // -----------------------------------------------------------------------------------------------
    // Imports
    // -----------------------------------------------------------------------------------------------

    const INFO: u32 = 1;

    fn log(level: u32, message: &str) {
        unsafe { host::write(level, message.as_ptr(), message.len()) }
    }

    /// `read-file: func(path: string, max-bytes: u32) -> result<list<u8>, fs-error>`: the bytes (in the
    /// arena: the host lowered them through `cabi_realloc`), or the fs-error's index.
    fn read_file(path: &str, max_bytes: u32) -> Result<&'static [u8], u8> {
        let ret = ret_area();
        unsafe { host::read_file(path.as_ptr(), path.len(), max_bytes, ret) };
        if load_u8(ret, 0) == 0 {
            let (ptr, len) = (load_u32(ret, 4), load_u32(ret, 8));
            Ok(unsafe { core::slice::from_raw_parts(ptr as usize as *const u8, len as usize) })
        } else {
            Err(load_u8(ret, 4))
        }
    }

    // -----------------------------------------------------------------------------------------------
    // Exports
    // -----------------------------------------------------------------------------------------------

    /// `init: func() -> result<_, string>`.
    #[export_name = "ics:gateway/driver@0.1.0#init"]
    pub extern "C" fn init() -> u32 {
        rewind();
        log(INFO, "sensor-driver-demo ready");
        let area = result_area();
        store_u8(area, 0, 0);
        area as usize as u32
    }

    /// One reading: name, value, unit.
    struct Reading {
        name: &'static str,
        value: f64,
        unit: &'static str,
    }

    /// `record reading`: size 24, align 8.
    ///
    /// ```text
    /// 0          4          8            16         20         24
    /// +----------+----------+------------+----------+----------+
    /// | name ptr | name len | value f64  | unit ptr | unit len |
    /// +----------+----------+------------+----------+----------+
    /// ```
    const READING_SIZE: u32 = 24;

    /// The number in the file `name`: Ok(None) when the file is optional and absent, else the message
    /// (`NAME: FS-ERROR` or `NAME: not a number`).
    fn number(name: &'static str, optional: bool) -> Result<Option<f64>, (u32, u32)> {
        match read_file(name, MAX_FILE) {
            Ok(text) => match parse_decimal(text) {
                Some(value) => Ok(Some(value)),
                None => Err(concat(&[name.as_bytes(), b": not a number"])),
            },
            Err(NOT_FOUND) if optional => Ok(None),
            Err(code) => Err(concat(&[name.as_bytes(), b": ", fs_error_name(code).as_bytes()])),
        }
    }

    fn readings() -> Result<(u32, u32), (u32, u32)> {
        let mut readings = [Reading { name: "pressure", value: number("pressure", false)?.unwrap_or(0.0), unit: "bar" }, Reading {
            name: "temperature",
            value: 0.0,
            unit: "degC",
        }];
        let mut count = 1;
        if let Some(value) = number("temperature", true)? {
            readings[1].value = value;
            count = 2;
        }
        let list = alloc(8, count * READING_SIZE);
        for (i, reading) in readings.iter().take(count as usize).enumerate() {
            let at = (list + i as u32 * READING_SIZE) as usize as *mut u8;
            store_u32(at, 0, reading.name.as_ptr() as usize as u32);
            store_u32(at, 4, reading.name.len() as u32);
            store_f64(at, 8, reading.value);
            store_u32(at, 16, reading.unit.as_ptr() as usize as u32);
            store_u32(at, 20, reading.unit.len() as u32);
        }
        Ok((list, count))
    }

    /// `poll: func() -> result<list<reading>, string>`. The result area, size 12, align 4:
    /// case u8 at 0 (0 ok, 1 err); ok: list ptr at 4, count at 8; err: string ptr at 4, length at 8.
    #[export_name = "ics:gateway/driver@0.1.0#poll"]
    pub extern "C" fn poll() -> u32 {
        rewind();
        let area = result_area();
        let (case, (ptr, len)) = match readings() {
            Ok(list) => (0, list),
            Err(message) => (1, message),
        };
        store_u8(area, 0, case);
        store_u32(area, 4, ptr);
        store_u32(area, 8, len);
        area as usize as u32
    }

    /// Post-return of `poll`: the host has lifted the readings; the arena is free again.
    #[export_name = "cabi_post_ics:gateway/driver@0.1.0#poll"]
    pub extern "C" fn poll_post_return(_result: u32) {
        rewind();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_a_sensor_writes_parse_exactly() {
        assert_eq!(parse_decimal(b"4.25\n"), Some(4.25));
        assert_eq!(parse_decimal(b"-0.5"), Some(-0.5));
        assert_eq!(parse_decimal(b"12"), Some(12.0));
        assert_eq!(parse_decimal(b"  \t+3.0\r\n"), Some(3.0));
        assert_eq!(parse_decimal(b"0.1"), Some(0.1));
        assert_eq!(parse_decimal(b"1013.25"), Some(1013.25));
        assert_eq!(parse_decimal(b".5"), Some(0.5));
        assert_eq!(parse_decimal(b"5."), Some(5.0));
        assert_eq!(parse_decimal(b"1e3"), Some(1000.0));
        assert_eq!(parse_decimal(b"2.5E-3"), Some(0.0025));
        assert_eq!(parse_decimal(b"0000000000000000000000000000001.5"), Some(1.5));
        assert_eq!(parse_decimal(b"-0"), Some(-0.0));
        assert_eq!(parse_decimal(b"123456789012345678901234567890"), Some(1.2345678901234568e29));
        assert_eq!(parse_decimal(b"1e-400"), Some(0.0));
    }

    #[test]
    fn anything_else_is_not_a_number() {
        for text in [
            &b""[..], b"  \n", b"-", b".", b"+.", b"1.2.3", b"1 2", b"nan", b"inf", b"0x10", b"1e", b"1e+", b"e5", b"12abc",
            b"1e400", b"--1", b"\x001",
        ] {
            assert_eq!(parse_decimal(text), None, "{:?}", core::str::from_utf8(text));
        }
    }

    #[test]
    fn fs_errors_have_their_wit_names() {
        assert_eq!(fs_error_name(0), "denied");
        assert_eq!(fs_error_name(NOT_FOUND), "not-found");
        assert_eq!(fs_error_name(4), "io");
        assert_eq!(fs_error_name(5), "unknown fs-error");
    }
}
