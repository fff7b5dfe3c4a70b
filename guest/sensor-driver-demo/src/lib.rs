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
#[path = "../../sensor-driver-common/src/text.rs"]
mod text;
use text::*;

const NOT_FOUND: u8 = 1;

#[cfg(target_arch = "wasm32")]
#[path = "../../sensor-driver-common/src/abi.rs"]
mod abi;

#[cfg(target_arch = "wasm32")]
mod driver {
    use super::*;
    use crate::abi::*;


    /// The largest file the driver asks for: a number and a newline fit many times over.
    const MAX_FILE: u32 = 64;



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
