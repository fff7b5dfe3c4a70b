//! The first guest: proves the chain from Rust source to a WebAssembly module embedded in the
//! appliance. It implements the `hello` world of `wit/hello.wit` with the canonical ABI by hand:
//! `add` takes and returns plain i32s; `crc16-modbus` takes a `list<u8>` as (ptr, len), for which the
//! host first reserves guest memory through `cabi_realloc`.
#![no_std]

use core::panic::PanicInfo;

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[export_name = "add"]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF (Modbus over serial line v1.02, §6.2.2).
#[export_name = "crc16-modbus"]
pub unsafe extern "C" fn crc16_modbus(ptr: *const u8, len: usize) -> i32 {
    let data = core::slice::from_raw_parts(ptr, len);
    let mut crc: u16 = 0xFFFF;
    for byte in data {
        crc ^= *byte as u16;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xA001 } else { crc >> 1 };
        }
    }
    crc as i32
}

/// A bump allocator over the pages after the data: enough for a guest that handles one call and is reset.
static mut NEXT: usize = 0;

/// Canonical ABI `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`; only fresh allocations are needed here.
#[export_name = "cabi_realloc"]
pub unsafe extern "C" fn cabi_realloc(_old: *mut u8, _old_size: usize, align: usize, size: usize) -> *mut u8 {
    extern "C" {
        static __heap_base: u8;
    }
    if NEXT == 0 {
        NEXT = &__heap_base as *const u8 as usize;
    }
    let align = if align == 0 { 1 } else { align };
    let start = (NEXT + align - 1) & !(align - 1);
    let end = match start.checked_add(size) {
        Some(end) => end,
        None => core::arch::wasm32::unreachable(),
    };
    let have = core::arch::wasm32::memory_size(0) * 65536;
    if end > have {
        let pages = (end - have + 65535) / 65536;
        if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
            core::arch::wasm32::unreachable();
        }
    }
    NEXT = end;
    start as *mut u8
}
