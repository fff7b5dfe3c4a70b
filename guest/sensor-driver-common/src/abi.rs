//! The canonical-ABI plumbing both driver guests share: the result and return areas, little-endian
//! loads and stores, and the bump arena behind `cabi_realloc`, rewound at the start of every export call.
//! Included by each guest with `#[path]` (wasm32 only).
#![allow(dead_code)]

const PAGE: u64 = 65536;

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

pub(crate) fn result_area() -> *mut u8 {
    unsafe { core::ptr::addr_of_mut!(RESULT) as *mut u8 }
}

pub(crate) fn ret_area() -> *mut u8 {
    unsafe { core::ptr::addr_of_mut!(RET) as *mut u8 }
}

pub(crate) fn store_u8(at: *mut u8, offset: usize, value: u8) {
    unsafe { *at.add(offset) = value }
}

pub(crate) fn store_u32(at: *mut u8, offset: usize, value: u32) {
    unsafe { core::ptr::write_unaligned(at.add(offset) as *mut u32, value.to_le()) }
}

pub(crate) fn store_f64(at: *mut u8, offset: usize, value: f64) {
    unsafe { core::ptr::write_unaligned(at.add(offset) as *mut u64, value.to_bits().to_le()) }
}

pub(crate) fn load_u8(at: *const u8, offset: usize) -> u8 {
    unsafe { *at.add(offset) }
}

pub(crate) fn load_u32(at: *const u8, offset: usize) -> u32 {
    u32::from_le(unsafe { core::ptr::read_unaligned(at.add(offset) as *const u32) })
}

// -----------------------------------------------------------------------------------------------
// The arena: a bump pointer from the heap base, rewound at the start of every export call.
// -----------------------------------------------------------------------------------------------

static mut NEXT: u32 = 0;

pub(crate) fn heap_base() -> u32 {
    (unsafe { core::ptr::addr_of!(__heap_base) } as usize as u32 + 7) & !7
}

pub(crate) fn rewind() {
    unsafe { NEXT = heap_base() }
}

/// `size` bytes aligned to `align`; grows the memory as needed, traps when the engine refuses.
pub(crate) fn alloc(align: u32, size: u32) -> u32 {
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
