//! The Modbus parser guest: world `modbus-sandbox` of `wit/modbus-parser.wit`, with the component model
//! canonical ABI written by hand (no bindings generator, no crates). Every byte a PLC sends is checked
//! and decoded here, never by the host. No input traps: a hostile frame, request or tag map is answered
//! with a typed error. Only running out of memory (memory.grow failing) traps.
//!
//! Core exports (canonical ABI lowering of the interface `ics:gateway/modbus-parser@0.1.0`):
//!
//! ```text
//! ics:gateway/modbus-parser@0.1.0#configure  (tags_ptr i32, tags_len i32) -> i32 result area
//! ics:gateway/modbus-parser@0.1.0#decode     (transaction i32, unit i32, function i32, address i32,
//!                                             quantity i32, adu_ptr i32, adu_len i32) -> i32 result area
//! cabi_post_ics:gateway/modbus-parser@0.1.0#decode  (result area i32)   releases what decode returned
//! cabi_realloc (old_ptr, old_size, align, new_size) -> ptr               reserves memory for lowered lists
//! memory                                                                 one page at start
//! ```
//!
//! Memory: the stack, then the data (result areas and allocator state), then the heap. The tag map of the
//! last successful `configure` sits at the start of the heap, up to the mark; everything else (the lowered
//! ADU, the text indexes and the readings, whose strings point into the ADU or into its byte-swapped copy)
//! is allocated above the mark and released by the post-return function, so memory does not grow call
//! after call and a reset copies little.
//!
//! ```text
//! 0          stack          heap base         mark
//! +----------+------+-------+-----------------+--------------------------------------+
//! |  stack   | data | (pad) | tag map (24 B   | per call: ADU, text indexes,         |
//! |          |      |       |  per tag)       | readings                             |
//! +----------+------+-------+-----------------+--------------------------------------+
//! ```
#![no_std]

#[cfg(test)]
extern crate std;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Guest linear memory addressed by 32-bit offsets, as the canonical ABI sees it.
#[cfg(target_arch = "wasm32")]
mod memory {
    const PAGE: u64 = 65536;

    #[repr(C, align(8))]
    struct Area([u8; 16]);

    /// The result area `configure` and `decode` return: written before each return, read by the host.
    static mut RESULT: Area = Area([0; 16]);

    extern "C" {
        static __heap_base: u8;
    }

    #[inline(always)]
    pub fn at(address: u32) -> *mut u8 {
        address as usize as *mut u8
    }

    pub fn heap_base() -> u32 {
        unsafe { core::ptr::addr_of!(__heap_base) as usize as u32 }
    }

    pub fn result_area() -> u32 {
        unsafe { core::ptr::addr_of_mut!(RESULT) as usize as u32 }
    }

    pub fn size() -> u64 {
        core::arch::wasm32::memory_size(0) as u64 * PAGE
    }

    /// Grows the memory so that it holds `end` bytes; traps when the engine refuses.
    pub fn reserve(end: u64) {
        let have = size();
        if end > have {
            let pages = (end - have + PAGE - 1) / PAGE;
            if core::arch::wasm32::memory_grow(0, pages as usize) == usize::MAX {
                trap();
            }
        }
    }

    pub fn trap() -> ! {
        core::arch::wasm32::unreachable()
    }
}

/// Native stand-in for the linear memory, for the unit tests: one static buffer grown page by page.
#[cfg(not(target_arch = "wasm32"))]
mod memory {
    const PAGE: u64 = 65536;
    const CAPACITY: usize = 16 << 20;

    #[repr(C, align(8))]
    struct Linear([u8; CAPACITY]);

    static mut LINEAR: Linear = Linear([0; CAPACITY]);
    static mut PAGES: u64 = 1;

    pub fn at(address: u32) -> *mut u8 {
        assert!((address as usize) <= CAPACITY, "address {address} outside the test memory");
        unsafe { (core::ptr::addr_of_mut!(LINEAR) as *mut u8).add(address as usize) }
    }

    pub fn heap_base() -> u32 {
        9000
    }

    pub fn result_area() -> u32 {
        8192
    }

    pub fn size() -> u64 {
        unsafe { PAGES * PAGE }
    }

    pub fn reserve(end: u64) {
        if end > size() {
            let pages = (end - size() + PAGE - 1) / PAGE;
            if (unsafe { PAGES } + pages) * PAGE > CAPACITY as u64 {
                trap();
            }
            unsafe { PAGES += pages };
        }
    }

    pub fn trap() -> ! {
        panic!("trap: out of memory")
    }

    /// Test only: back to one page, as a fresh instance.
    pub fn reset() {
        unsafe { PAGES = 1 };
    }

    pub fn pages() -> u64 {
        unsafe { PAGES }
    }
}

use memory::at;

fn load_u8(address: u32) -> u8 {
    unsafe { *at(address) }
}

fn load_u16(address: u32) -> u16 {
    u16::from_le(unsafe { core::ptr::read_unaligned(at(address) as *const u16) })
}

fn load_u32(address: u32) -> u32 {
    u32::from_le(unsafe { core::ptr::read_unaligned(at(address) as *const u32) })
}

fn load_u64(address: u32) -> u64 {
    u64::from_le(unsafe { core::ptr::read_unaligned(at(address) as *const u64) })
}

fn load_f64(address: u32) -> f64 {
    f64::from_bits(u64::from_le(unsafe { core::ptr::read_unaligned(at(address) as *const u64) }))
}

fn store_u8(address: u32, value: u8) {
    unsafe { *at(address) = value }
}

fn store_u32(address: u32, value: u32) {
    unsafe { core::ptr::write_unaligned(at(address) as *mut u32, value.to_le()) }
}

fn store_u64(address: u32, value: u64) {
    unsafe { core::ptr::write_unaligned(at(address) as *mut u64, value.to_le()) }
}

// ---------------------------------------------------------------------------------------------------
// Allocator: a bump pointer over the heap. `MARK` is where the tag map ends; post-return rewinds to it.
// ---------------------------------------------------------------------------------------------------

static mut NEXT: u32 = 0;
static mut MARK: u32 = 0;

/// Start of the heap, where the tag map is kept, aligned for `tag` records.
fn tags_base() -> u32 {
    (memory::heap_base() + 7) & !7
}

fn next() -> u32 {
    let next = unsafe { NEXT };
    if next == 0 {
        let base = tags_base();
        unsafe {
            NEXT = base;
            MARK = base;
        }
        base
    } else {
        next
    }
}

fn set_next(address: u32) {
    unsafe { NEXT = address }
}

fn alloc(align: u32, size: u32) -> u32 {
    let align = if align == 0 { 1 } else { align as u64 };
    let start = (next() as u64 + align - 1) & !(align - 1);
    let end = start + size as u64;
    if end > u32::MAX as u64 {
        memory::trap();
    }
    memory::reserve(end);
    set_next(end as u32);
    start as u32
}

/// Canonical ABI `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`.
#[export_name = "cabi_realloc"]
pub extern "C" fn cabi_realloc(old: u32, old_size: u32, align: u32, new_size: u32) -> u32 {
    let new = alloc(align, new_size);
    if old != 0 {
        let keep = if old_size < new_size { old_size } else { new_size };
        unsafe { core::ptr::copy(at(old), at(new), keep as usize) };
    }
    new
}

// ---------------------------------------------------------------------------------------------------
// Canonical ABI layouts (component model CanonicalABI.md, "Alignment", "Element Size", "Loading",
// "Storing"): a record's fields are laid out in order, each aligned to its own alignment; a variant is
// its discriminant, then its payload at the payload's largest alignment; enums and flags of up to 8 cases
// are one byte. Verified against jco 1.10.2 (tests/jco).
// ---------------------------------------------------------------------------------------------------

/// `record tag`: size 24, align 8.
///
/// ```text
/// 0         2      3       4     5     6          8            16           24
/// +---------+------+-------+-----+-----+----------+------------+------------+
/// | address | kind | order | bit | pad | length   | scale f64  | offset f64 |
/// |   u16   |  u8  | flags | u8  |     |   u16    |            |            |
/// +---------+------+-------+-----+-----+----------+------------+------------+
/// ```
///
/// The padding byte at 5 is the guest's own: `configure` stores there the tag's decoding plan, so that
/// `decode` neither compares two doubles nor works out the byte order per tag: bit 3 says the tag is
/// plain (scale 1 and offset 0), bits 0-2 are the byte permutation `swap` (see `permute`).
mod tag {
    pub const SIZE: u32 = 24;
    pub const ADDRESS: u32 = 0;
    pub const KIND: u32 = 2;
    pub const ORDER: u32 = 3;
    pub const BIT: u32 = 4;
    pub const PLAN: u32 = 5;
    pub const PLAN_PLAIN: u8 = 8;
    pub const PLAN_SWAP: u8 = 7;
    pub const LENGTH: u32 = 6;
    pub const SCALE: u32 = 8;
    pub const OFFSET: u32 = 16;
}

/// `enum kind`, in WIT order.
mod kind {
    pub const BIT: u8 = 0;
    pub const INT16: u8 = 1;
    pub const UINT16: u8 = 2;
    pub const INT32: u8 = 3;
    pub const UINT32: u8 = 4;
    pub const INT64: u8 = 5;
    pub const UINT64: u8 = 6;
    pub const FLOAT32: u8 = 7;
    pub const FLOAT64: u8 = 8;
    pub const TEXT: u8 = 9;
}

/// `flags order`: the first flag is bit 0. Bits beyond the declared flags are ignored.
const BYTE_SWAP: u8 = 1;
const WORD_SWAP: u8 = 2;

/// `enum tag-problem`, in WIT order.
mod problem {
    pub const TOO_MANY_TAGS: u8 = 0;
    pub const BAD_BIT: u8 = 1;
    pub const BAD_LENGTH: u8 = 2;
    pub const BAD_ORDER: u8 = 3;
    pub const BAD_SCALE: u8 = 4;
}

/// `record reading`: size 24, align 8. `value` is a variant at 8: discriminant at 8, payload at 16.
///
/// ```text
/// 0     4         5     8      9     16                           24
/// +-----+---------+-----+------+-----+----------------------------+
/// | tag | quality | pad | case | pad | payload: bool u8 | s64 |   |
/// | u32 |   u8    |     |  u8  |     | u64 | f64 | string ptr,len |
/// +-----+---------+-----+------+-----+----------------------------+
/// ```
mod reading {
    pub const SIZE: u32 = 24;
    pub const TAG: u32 = 0;
    pub const QUALITY: u32 = 4;
    pub const CASE: u32 = 8;
    pub const PAYLOAD: u32 = 16;
    pub const TEXT_LENGTH: u32 = 20;
}

/// `enum quality`, in WIT order.
mod quality {
    pub const GOOD: u8 = 0;
    pub const NOT_FINITE: u8 = 1;
    pub const NOT_TEXT: u8 = 2;
}

/// `variant value`, in WIT order.
mod value {
    pub const BOOLEAN: u8 = 0;
    pub const SIGNED: u8 = 1;
    pub const UNSIGNED: u8 = 2;
    pub const REAL: u8 = 3;
    pub const TEXT: u8 = 4;
}

/// `variant decode-error`, in WIT order.
mod error {
    pub const NOT_CONFIGURED: u8 = 0;
    pub const BAD_REQUEST: u8 = 1;
    pub const TRUNCATED: u8 = 2;
    pub const PROTOCOL_ID: u8 = 3;
    pub const LENGTH_OUT_OF_RANGE: u8 = 4;
    pub const LENGTH_MISMATCH: u8 = 5;
    pub const TRANSACTION_MISMATCH: u8 = 6;
    pub const UNIT_MISMATCH: u8 = 7;
    pub const FUNCTION_MISMATCH: u8 = 8;
    pub const EXCEPTION: u8 = 9;
    pub const BAD_EXCEPTION: u8 = 10;
    pub const BYTE_COUNT_MISMATCH: u8 = 11;
}

/// The result areas, size 12, align 4, both with the discriminant at 0 and the payload at 4:
///
/// ```text
/// result<_, config-error>:               0 case u8 | 4 tag u32         | 8 problem u8
/// result<list<reading>, decode-error>:   0 case u8 | 4 list ptr u32    | 8 list len u32      (ok)
///                                        0 case u8 | 4 error case u8   | 8 payload u32/u16/u8 (err)
/// ```
mod result {
    pub const CASE: u32 = 0;
    pub const FIRST: u32 = 4;
    pub const SECOND: u32 = 8;
    pub const OK: u8 = 0;
    pub const ERR: u8 = 1;
}

/// The canonical NaN: every runtime that lifts a not-finite reading sees these bits.
const CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

const MAX_TAGS: u32 = 2048;
const MAX_QUANTITY: u16 = 125;
const MAX_TEXT_REGISTERS: u16 = 125;

// ---------------------------------------------------------------------------------------------------
// configure
// ---------------------------------------------------------------------------------------------------

static mut CONFIGURED: bool = false;
static mut TAG_COUNT: u32 = 0;
/// The byte orders of the configured map's text tags (bit 0: AB, bit 1: BA): the text indexes each
/// response needs (see `readings`).
static mut TEXT_ORDERS: u8 = 0;

/// `configure: func(tags: list<tag>) -> result<_, config-error>`. The list is the guest's (the host
/// lowered it through `cabi_realloc`); a valid map is moved to the start of the heap and the mark set
/// after it. A refused map leaves the instance not configured, whatever was configured before.
#[export_name = "ics:gateway/modbus-parser@0.1.0#configure"]
pub extern "C" fn configure(tags: u32, count: u32) -> u32 {
    let base = tags_base();
    unsafe {
        CONFIGURED = false;
        TAG_COUNT = 0;
        TEXT_ORDERS = 0;
        MARK = base;
    }
    let problem = if count > MAX_TAGS { Some((MAX_TAGS, problem::TOO_MANY_TAGS)) } else { first_problem(tags, count) };
    let area = memory::result_area();
    if let Some((index, problem)) = problem {
        set_next(base);
        store_u8(area + result::CASE, result::ERR);
        store_u32(area + result::FIRST, index);
        store_u8(area + result::SECOND, problem);
        return area;
    }

    let bytes = count * tag::SIZE;
    memory::reserve(base as u64 + bytes as u64);
    unsafe { core::ptr::copy(at(tags), at(base), bytes as usize) };
    let mut t = base;
    let mut text_orders = 0;
    while t < base + bytes {
        let plain = load_f64(t + tag::SCALE) == 1.0 && load_f64(t + tag::OFFSET) == 0.0;
        let kind = load_u8(t + tag::KIND);
        if kind == kind::TEXT {
            text_orders |= 1 << (load_u8(t + tag::ORDER) & BYTE_SWAP);
        }
        store_u8(t + tag::PLAN, (plain as u8) << 3 | swap(kind, load_u8(t + tag::ORDER)));
        t += tag::SIZE;
    }
    unsafe {
        TEXT_ORDERS = text_orders;
        CONFIGURED = true;
        TAG_COUNT = count;
        MARK = base + bytes;
    }
    set_next(base + bytes);
    store_u8(area + result::CASE, result::OK);
    area
}

/// The byte permutation that turns `width` register bytes, loaded little-endian, into the value the
/// order asks for. On the wire, big-endian byte p of the value sits at byte `p ^ x` of the registers,
/// where `x` has bit 0 for byte-swap and, for word-swap, the bits that reverse the registers
/// (`width - 2`: 2 for 32-bit, 6 for 64-bit). Loaded little-endian, byte j lands at j; it belongs at
/// `j ^ x ^ (width - 1)`, so the swap is `x ^ (width - 1)`, applied by `permute`.
fn swap(kind: u8, order: u8) -> u8 {
    let width: u8 = match kind {
        kind::INT32 | kind::UINT32 | kind::FLOAT32 => 4,
        kind::INT64 | kind::UINT64 | kind::FLOAT64 => 8,
        _ => 2,
    };
    let word_swap = if order & WORD_SWAP != 0 && width > 2 { width - 2 } else { 0 };
    (order & BYTE_SWAP) ^ word_swap ^ (width - 1)
}

/// Exchanges the bytes of `raw` at positions j and `j ^ swap` (for the bits of `swap` below the width).
#[inline(always)]
fn permute(raw: u64, swap: u8) -> u64 {
    let mut v = raw;
    if swap & 1 != 0 {
        v = (v & 0x00ff_00ff_00ff_00ff) << 8 | (v >> 8) & 0x00ff_00ff_00ff_00ff;
    }
    if swap & 2 != 0 {
        v = (v & 0x0000_ffff_0000_ffff) << 16 | (v >> 16) & 0x0000_ffff_0000_ffff;
    }
    if swap & 4 != 0 {
        v = v.rotate_left(32);
    }
    v
}

/// As `permute`, for a 32-bit value (swap below 4).
#[inline(always)]
fn permute32(raw: u32, swap: u8) -> u32 {
    let mut v = raw;
    if swap & 1 != 0 {
        v = (v & 0x00ff_00ff) << 8 | (v >> 8) & 0x00ff_00ff;
    }
    if swap & 2 != 0 {
        v = v.rotate_left(16);
    }
    v
}

/// The first tag that breaks a rule, and the rule; checks run in `tag-problem` order within a tag.
fn first_problem(tags: u32, count: u32) -> Option<(u32, u8)> {
    let mut index = 0;
    while index < count {
        let t = tags + index * tag::SIZE;
        if let Some(problem) = tag_problem(t) {
            return Some((index, problem));
        }
        index += 1;
    }
    None
}

fn tag_problem(t: u32) -> Option<u8> {
    let kind = load_u8(t + tag::KIND);
    let bit = load_u8(t + tag::BIT);
    if bit > 15 || (kind != kind::BIT && bit != 0) {
        return Some(problem::BAD_BIT);
    }
    let length = load_u16(t + tag::LENGTH);
    let fits = match kind {
        kind::BIT | kind::INT16 | kind::UINT16 => length == 1,
        kind::INT32 | kind::UINT32 | kind::FLOAT32 => length == 2,
        kind::INT64 | kind::UINT64 | kind::FLOAT64 => length == 4,
        kind::TEXT => (1..=MAX_TEXT_REGISTERS).contains(&length),
        _ => false, // not a kind: no length can fit it
    };
    if !fits {
        return Some(problem::BAD_LENGTH);
    }
    if load_u8(t + tag::ORDER) & WORD_SWAP != 0 && (length == 1 || kind == kind::TEXT) {
        return Some(problem::BAD_ORDER);
    }
    let (scale, offset) = (load_f64(t + tag::SCALE), load_f64(t + tag::OFFSET));
    if !scale.is_finite() || !offset.is_finite() {
        return Some(problem::BAD_SCALE);
    }
    // A boolean or a string cannot be raw × scale + offset: only scale 1 and offset 0 describe them.
    if (kind == kind::BIT || kind == kind::TEXT) && (scale != 1.0 || offset != 0.0) {
        return Some(problem::BAD_SCALE);
    }
    None
}

// ---------------------------------------------------------------------------------------------------
// decode
// ---------------------------------------------------------------------------------------------------

/// The request a response answers, lifted from its flat i32s (the canonical ABI keeps the low bits).
struct Request {
    transaction: u16,
    unit: u8,
    function: u8,
    address: u16,
    quantity: u16,
}

/// A refused response: the `decode-error` case and its payload, widened to u32.
type Refusal = (u8, u32);

/// `decode: func(request: request, adu: list<u8>) -> result<list<reading>, decode-error>`.
#[export_name = "ics:gateway/modbus-parser@0.1.0#decode"]
pub extern "C" fn decode(
    transaction: u32,
    unit: u32,
    function: u32,
    address: u32,
    quantity: u32,
    adu: u32,
    adu_len: u32,
) -> u32 {
    let request = Request {
        transaction: transaction as u16,
        unit: unit as u8,
        function: function as u8,
        address: address as u16,
        quantity: quantity as u16,
    };
    let outcome = if !unsafe { CONFIGURED } {
        Err((error::NOT_CONFIGURED, 0))
    } else if (request.function != 3 && request.function != 4) || request.quantity == 0 || request.quantity > MAX_QUANTITY {
        Err((error::BAD_REQUEST, 0))
    } else if adu_len < ADU_MIN as u32 {
        Err((error::TRUNCATED, adu_len))
    } else {
        let frame = unsafe { core::slice::from_raw_parts(at(adu) as *const u8, adu_len as usize) };
        check(&request, frame)
    };
    let area = memory::result_area();
    match outcome {
        Ok(data) => {
            let frame = at(adu) as usize;
            let offset = adu + (data.as_ptr() as usize - frame) as u32;
            let (list, count) = readings(&request, data, offset);
            store_u8(area + result::CASE, result::OK);
            store_u32(area + result::FIRST, list);
            store_u32(area + result::SECOND, count);
        }
        Err((case, payload)) => {
            store_u8(area + result::CASE, result::ERR);
            store_u8(area + result::FIRST, case);
            store_u32(area + result::SECOND, payload);
        }
    }
    area
}

/// Post-return of `decode`: the host has lifted the readings; everything above the mark is free again.
#[export_name = "cabi_post_ics:gateway/modbus-parser@0.1.0#decode"]
pub extern "C" fn decode_post_return(_result: u32) {
    let mark = unsafe { MARK };
    set_next(mark);
}

// A response to read holding registers (03) or read input registers (04): MBAP header (Modbus Messaging
// on TCP/IP Implementation Guide v1.0b §3.1.3), then the PDU (Modbus Application Protocol v1.1b3 §6.3,
// §6.4; exception responses §7).
//
//  0             2             4             6      7          8            9
//  +-------------+-------------+-------------+------+----------+------------+---------------------+
//  | transaction | protocol id | length      | unit | function | byte count | 2 × quantity bytes  |
//  |  u16 BE     |  u16 BE = 0 | u16 BE      |  u8  |    u8    |     u8     | registers, BE       |
//  +-------------+-------------+-------------+------+----------+------------+---------------------+
//                                 counts the bytes from the unit to the end
//  Exception response: function | 0x80 at 7, the exception code at 8, nothing after.
//
// The frame is taken apart with slice patterns, never indexed: no check here can panic.

/// The MBAP header and a function code.
const ADU_MIN: usize = 8;
/// Bytes of the header before the unit, which the length field does not count.
const LENGTH_EXCLUDES: usize = 6;
const LENGTH_MIN: u16 = 2;
const LENGTH_MAX: u16 = 253;
const EXCEPTION_FLAG: u8 = 0x80;
const EXCEPTION_CODE_MAX: u8 = 11;

/// Checks the frame against the request, first failing check first; on success, the register data.
fn check<'a>(request: &Request, frame: &'a [u8]) -> Result<&'a [u8], Refusal> {
    let (transaction, protocol, length, unit, function, after_function) = match *frame {
        [t0, t1, p0, p1, l0, l1, unit, function, ref rest @ ..] => (
            u16::from_be_bytes([t0, t1]),
            u16::from_be_bytes([p0, p1]),
            u16::from_be_bytes([l0, l1]),
            unit,
            function,
            rest,
        ),
        _ => return Err((error::TRUNCATED, frame.len() as u32)),
    };
    if protocol != 0 {
        return Err((error::PROTOCOL_ID, protocol as u32));
    }
    if !(LENGTH_MIN..=LENGTH_MAX).contains(&length) {
        return Err((error::LENGTH_OUT_OF_RANGE, length as u32));
    }
    if length as usize != frame.len() - LENGTH_EXCLUDES {
        return Err((error::LENGTH_MISMATCH, length as u32));
    }
    if transaction != request.transaction {
        return Err((error::TRANSACTION_MISMATCH, transaction as u32));
    }
    if unit != request.unit {
        return Err((error::UNIT_MISMATCH, unit as u32));
    }
    if function == request.function | EXCEPTION_FLAG {
        return Err(match *after_function {
            [code] if (1..=EXCEPTION_CODE_MAX).contains(&code) => (error::EXCEPTION, code as u32),
            [code, ..] => (error::BAD_EXCEPTION, code as u32),
            [] => (error::BAD_EXCEPTION, 0),
        });
    }
    if function != request.function {
        return Err((error::FUNCTION_MISMATCH, function as u32));
    }
    match *after_function {
        [count, ref data @ ..] if count as usize == 2 * request.quantity as usize && count as usize == data.len() => Ok(data),
        [count, ..] => Err((error::BYTE_COUNT_MISMATCH, count as u32)),
        [] => Err((error::BYTE_COUNT_MISMATCH, 0)),
    }
}

/// Decodes, in tag order, every tag whose registers lie wholly inside the response's. `data` holds
/// exactly `2 × quantity` bytes, at `offset` in guest memory. Returns the list (pointer, length).
///
/// Fuel (appliance/Appliance.Wasm/README.md) charges every operator of a loop body, both arms of each
/// branch included, on every iteration, and every operator of a function on every call. So the loops
/// over the tags stay small and call one small function per kind (`decode_tag`), and a text tag costs
/// the same whatever its length: its characters are checked against a `TextIndex` built once per
/// response. The largest map (2048 tags, all inside the request) decodes within a fraction of the fuel
/// the appliance ships with (1,000,000).
///
/// The list is written in one pass where it will be allocated (the next 8-aligned address, after the
/// text indexes), then allocated with the count found; this needs room for a reading per tag in the
/// memory as it is, else two passes (count, allocate, decode) run so that memory grows only as much as
/// needed.
fn readings(request: &Request, data: &[u8], offset: u32) -> (u32, u32) {
    let size = data.len() as u32;
    let orders = unsafe { TEXT_ORDERS };
    let none = TextIndex { chars: offset, ends: 0, bad: 0 };
    let view = View {
        data: offset,
        text: [
            if orders & 1 != 0 { text_index(offset, size, false) } else { none },
            if orders & 2 != 0 { text_index(offset, size, true) } else { none },
        ],
    };
    let list = (next() + 7) & !7;
    let tags = unsafe { TAG_COUNT };
    if one_pass_allowed() && list as u64 + tags as u64 * reading::SIZE as u64 <= memory::size() {
        let count = readings_in_one_pass(request, &view, list);
        let allocated = alloc(8, count * reading::SIZE);
        debug_assert_eq!(allocated, list);
        return (allocated, count);
    }
    readings_in_two_passes(request, &view)
}

/// Whether `readings` may take one pass (the unit tests compare both ways).
#[cfg(not(test))]
fn one_pass_allowed() -> bool {
    true
}

#[cfg(test)]
static mut TWO_PASSES_ONLY: bool = false;

#[cfg(test)]
fn one_pass_allowed() -> bool {
    !unsafe { TWO_PASSES_ONLY }
}

/// The response's register data (its address) and the text indexes of the orders the map's text uses.
struct View {
    data: u32,
    text: [TextIndex; 2],
}

/// The characters of the register data in one byte order (`chars`: the data itself for AB, a copy with
/// every register's bytes swapped for BA), with two prefix tables of `size + 1` bytes: `ends[k]` is 1 +
/// the index of the last non-NUL character among the first k (0 if none), `bad[k]` how many of the
/// first k lie outside printable ASCII. A text over characters a..b then ends at `ends[b]` (if that is
/// after a) and is printable exactly when `bad[end] == bad[a]`.
#[derive(Clone, Copy)]
struct TextIndex {
    chars: u32,
    ends: u32,
    bad: u32,
}

#[inline(never)]
fn text_index(data: u32, size: u32, byte_swap: bool) -> TextIndex {
    let chars = if byte_swap {
        let copy = alloc(2, size);
        let mut k = 0;
        while k < size {
            store_u8(copy + k, load_u8(data + (k ^ 1)));
            k += 1;
        }
        copy
    } else {
        data
    };
    let ends = alloc(1, size + 1);
    let bad = alloc(1, size + 1);
    store_u8(ends, 0);
    store_u8(bad, 0);
    let mut k = 0;
    while k < size {
        let c = load_u8(chars + k);
        store_u8(ends + k + 1, if c != 0 { k as u8 + 1 } else { load_u8(ends + k) });
        store_u8(bad + k + 1, load_u8(bad + k) + !(0x20..=0x7e).contains(&c) as u8);
        k += 1;
    }
    TextIndex { chars, ends, bad }
}

/// The one-pass decoder, writing the readings from `list` on; returns their count.
fn readings_in_one_pass(request: &Request, view: &View, list: u32) -> u32 {
    let first = request.address as u32;
    let end = first + request.quantity as u32;
    let tags = tags_base();
    let stop = tags + unsafe { TAG_COUNT } * tag::SIZE;
    let mut t = tags;
    let mut r = list;
    let mut index = 0;
    while t < stop {
        let address = load_u16(t + tag::ADDRESS) as u32;
        if address >= first && address + load_u16(t + tag::LENGTH) as u32 <= end {
            // The tag, quality good and the padding after it in one store; a decoder may set the quality.
            store_u64(r + reading::TAG, index as u64);
            decode_tag(r, t, (address - first) * 2, view);
            r += reading::SIZE;
        }
        t += tag::SIZE;
        index += 1;
    }
    (r - list) / reading::SIZE
}

/// The two-pass decoder: counts the tags inside the response, allocates the list, decodes into it.
fn readings_in_two_passes(request: &Request, view: &View) -> (u32, u32) {
    let first = request.address as u32;
    let end = first + request.quantity as u32;
    let tags = tags_base();
    let stop = tags + unsafe { TAG_COUNT } * tag::SIZE;
    let inside = |t: u32| {
        let address = load_u16(t + tag::ADDRESS) as u32;
        address >= first && address + load_u16(t + tag::LENGTH) as u32 <= end
    };

    let mut count = 0;
    let mut t = tags;
    while t < stop {
        count += inside(t) as u32;
        t += tag::SIZE;
    }

    let list = alloc(8, count * reading::SIZE);
    let mut r = list;
    let mut index = 0;
    t = tags;
    while t < stop {
        if inside(t) {
            store_u64(r + reading::TAG, index as u64);
            decode_tag(r, t, (load_u16(t + tag::ADDRESS) as u32 - first) * 2, view);
            r += reading::SIZE;
        }
        t += tag::SIZE;
        index += 1;
    }
    (list, count)
}

/// One tag whose first register is `at` bytes into the data, into the reading at `r` (whose tag and
/// quality are already stored): one call to a small function per kind.
#[inline(always)]
fn decode_tag(r: u32, t: u32, at: u32, view: &View) {
    match load_u8(t + tag::KIND) {
        kind::BIT => bit(r, t, view.data + at),
        kind::INT16 => int16(r, t, view.data + at),
        kind::UINT16 => uint16(r, t, view.data + at),
        kind::INT32 => int32(r, t, view.data + at),
        kind::UINT32 => uint32(r, t, view.data + at),
        kind::INT64 => int64(r, t, view.data + at),
        kind::UINT64 => uint64(r, t, view.data + at),
        kind::FLOAT32 => float32(r, t, view.data + at),
        kind::FLOAT64 => float64(r, t, view.data + at),
        _ => text(r, t, at, view),
    }
}

/// The byte permutation and whether the tag is plain, from the plan `configure` stored.
#[inline(always)]
fn plan(t: u32) -> (u8, bool) {
    let plan = load_u8(t + tag::PLAN);
    (plan & tag::PLAN_SWAP, plan & tag::PLAN_PLAIN != 0)
}

#[inline(never)]
fn bit(r: u32, t: u32, registers: u32) {
    let word = permute32(load_u16(registers) as u32, plan(t).0) as u16;
    set_good(r, value::BOOLEAN, (word >> (load_u8(t + tag::BIT) & 15) & 1) as u64);
}

#[inline(never)]
fn int16(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    signed(r, (permute32(load_u16(registers) as u32, swap) as u16) as i16 as i64, plain, t);
}

#[inline(never)]
fn uint16(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    unsigned(r, (permute32(load_u16(registers) as u32, swap) as u16) as u64, plain, t);
}

#[inline(never)]
fn int32(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    signed(r, permute32(load_u32(registers), swap) as i32 as i64, plain, t);
}

#[inline(never)]
fn uint32(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    unsigned(r, permute32(load_u32(registers), swap) as u64, plain, t);
}

#[inline(never)]
fn int64(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    signed(r, permute(load_u64(registers), swap) as i64, plain, t);
}

#[inline(never)]
fn uint64(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    unsigned(r, permute(load_u64(registers), swap), plain, t);
}

#[inline(never)]
fn float32(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    let bits = permute32(load_u32(registers), swap);
    if plain && bits & 0x7f80_0000 != 0x7f80_0000 {
        set_good(r, value::REAL, (f32::from_bits(bits) as f64).to_bits());
    } else {
        real(r, plain_or_scaled(f32::from_bits(bits) as f64, plain, t));
    }
}

#[inline(never)]
fn float64(r: u32, t: u32, registers: u32) {
    let (swap, plain) = plan(t);
    real(r, plain_or_scaled(f64::from_bits(permute(load_u64(registers), swap)), plain, t));
}

/// The case and payload of a good reading whose quality byte is already 0 (`quality::GOOD`).
#[inline(always)]
fn set_good(r: u32, case: u8, payload: u64) {
    store_u8(r + reading::CASE, case);
    store_u64(r + reading::PAYLOAD, payload);
}

#[inline(always)]
fn signed(r: u32, v: i64, plain: bool, t: u32) {
    if plain {
        set_good(r, value::SIGNED, v as u64)
    } else {
        real(r, scaled(v as f64, t))
    }
}

#[inline(always)]
fn unsigned(r: u32, v: u64, plain: bool, t: u32) {
    if plain {
        set_good(r, value::UNSIGNED, v)
    } else {
        real(r, scaled(v as f64, t))
    }
}

#[inline(always)]
fn plain_or_scaled(v: f64, plain: bool, t: u32) -> f64 {
    if plain {
        v
    } else {
        scaled(v, t)
    }
}

/// raw × scale + offset: a multiply, then an add (WebAssembly has no fused multiply-add).
fn scaled(v: f64, t: u32) -> f64 {
    v * load_f64(t + tag::SCALE) + load_f64(t + tag::OFFSET)
}

#[inline(always)]
fn set(r: u32, quality: u8, case: u8, payload: u64) {
    store_u8(r + reading::QUALITY, quality);
    store_u8(r + reading::CASE, case);
    store_u64(r + reading::PAYLOAD, payload);
}

/// A real reading: not-finite, with the canonical NaN, when it is NaN or infinite.
#[inline(always)]
fn real(r: u32, v: f64) {
    if v.is_nan() {
        set(r, quality::NOT_FINITE, value::REAL, CANONICAL_NAN)
    } else if v.is_infinite() {
        set(r, quality::NOT_FINITE, value::REAL, v.to_bits())
    } else {
        set(r, quality::GOOD, value::REAL, v.to_bits())
    }
}

/// A text reading: the registers' characters in order, trailing NULs removed, printable ASCII or
/// nothing. The string is the characters themselves, in the response (or its byte-swapped copy).
#[inline(never)]
fn text(r: u32, t: u32, at: u32, view: &View) {
    let index = &view.text[(load_u8(t + tag::ORDER) & BYTE_SWAP) as usize];
    let end = load_u8(index.ends + at + 2 * load_u16(t + tag::LENGTH) as u32) as u32;
    let length = if end > at { end - at } else { 0 };
    let (quality, length) = if load_u8(index.bad + at + length) == load_u8(index.bad + at) {
        (quality::GOOD, length)
    } else {
        (quality::NOT_TEXT, 0)
    };
    store_u8(r + reading::QUALITY, quality);
    store_u8(r + reading::CASE, value::TEXT);
    store_u32(r + reading::PAYLOAD, index.chars + at);
    store_u32(r + reading::TEXT_LENGTH, length);
}

/// Native unit tests: `rustc --edition 2021 --test guest/modbus-parser/src/lib.rs -o /tmp/parser-tests &&
/// /tmp/parser-tests`. The exports run against a static buffer standing in for the linear memory; a
/// panic (bounds check, overflow) stands for a trap, so the random frames below prove there is none.
#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;
    use std::sync::{Mutex, MutexGuard};
    use std::vec::Vec;
    use std::{format, vec};

    static INSTANCE: Mutex<()> = Mutex::new(());

    /// A fresh instance: the exports share static state, so tests take turns.
    fn fresh() -> MutexGuard<'static, ()> {
        let guard = INSTANCE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        unsafe {
            NEXT = 0;
            MARK = 0;
            CONFIGURED = false;
            TAG_COUNT = 0;
            TEXT_ORDERS = 0;
            TWO_PASSES_ONLY = false;
        }
        memory::reset();
        guard
    }

    #[derive(Clone, Copy)]
    struct Tag {
        address: u16,
        kind: u8,
        order: u8,
        bit: u8,
        length: u16,
        scale: f64,
        offset: f64,
    }

    fn tag(address: u16, kind: u8, length: u16) -> Tag {
        Tag { address, kind, order: 0, bit: 0, length, scale: 1.0, offset: 0.0 }
    }

    fn lower(bytes: &[u8], align: u32) -> u32 {
        let ptr = cabi_realloc(0, 0, align, bytes.len() as u32);
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), at(ptr), bytes.len()) };
        ptr
    }

    fn configure_tags(tags: &[Tag]) -> Result<(), (u32, u8)> {
        let mut bytes = Vec::new();
        for t in tags {
            bytes.extend_from_slice(&t.address.to_le_bytes());
            bytes.extend_from_slice(&[t.kind, t.order, t.bit, 0xAA]);
            bytes.extend_from_slice(&t.length.to_le_bytes());
            bytes.extend_from_slice(&t.scale.to_le_bytes());
            bytes.extend_from_slice(&t.offset.to_le_bytes());
        }
        let area = configure(lower(&bytes, 8), tags.len() as u32);
        match load_u8(area) {
            0 => Ok(()),
            _ => Err((load_u32(area + 4), load_u8(area + 8))),
        }
    }

    fn load_u32(address: u32) -> u32 {
        u32::from_le_bytes([load_u8(address), load_u8(address + 1), load_u8(address + 2), load_u8(address + 3)])
    }

    fn bytes(address: u32, length: u32) -> Vec<u8> {
        (address..address + length).map(load_u8).collect()
    }

    /// The canonical outcome bytes of one decode (the format tests/jco/decode.mjs prints), then post-return.
    fn outcome(request: [u32; 5], adu: &[u8]) -> String {
        let ptr = lower(adu, 1);
        let area = decode(request[0], request[1], request[2], request[3], request[4], ptr, adu.len() as u32);
        let mut out = Vec::new();
        if load_u8(area) == 0 {
            let (list, count) = (load_u32(area + 4), load_u32(area + 8));
            out.push(0);
            out.extend_from_slice(&count.to_le_bytes());
            for i in 0..count {
                let r = list + i * 24;
                out.extend(bytes(r, 4));
                out.push(load_u8(r + 4));
                let case = load_u8(r + 8);
                out.push(case);
                match case {
                    0 => out.push(load_u8(r + 16)),
                    4 => {
                        let length = load_u32(r + 20);
                        out.extend_from_slice(&length.to_le_bytes());
                        out.extend(bytes(load_u32(r + 16), length));
                    }
                    _ => out.extend(bytes(r + 16, 8)),
                }
            }
        } else {
            out.push(1);
            let case = load_u8(area + 4);
            out.push(case);
            let payload = match case {
                2 => load_u32(area + 8),
                3..=6 => load_u16(area + 8) as u32,
                7..=11 => load_u8(area + 8) as u32,
                _ => 0,
            };
            out.extend_from_slice(&payload.to_le_bytes());
        }
        decode_post_return(area);
        out.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(hex: &str) -> Vec<u8> {
        let hex: Vec<u8> = hex.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
        hex.chunks(2).map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap()).collect()
    }

    /// A response to `request` carrying `registers`.
    fn response(request: [u32; 5], registers: &[u16]) -> Vec<u8> {
        let mut adu = Vec::new();
        adu.extend_from_slice(&(request[0] as u16).to_be_bytes());
        adu.extend_from_slice(&[0, 0]);
        adu.extend_from_slice(&(3 + 2 * registers.len() as u16).to_be_bytes());
        adu.extend_from_slice(&[request[1] as u8, request[2] as u8, 2 * registers.len() as u8]);
        for r in registers {
            adu.extend_from_slice(&r.to_be_bytes());
        }
        adu
    }

    const FC3: [u32; 5] = [1, 1, 3, 100, 10];

    #[test]
    fn a_valid_response_decodes_every_tag_inside_the_request_in_tag_order() {
        let _instance = fresh();
        let mut cdab = tag(101, kind::UINT32, 2);
        cdab.order = WORD_SWAP;
        let mut bit = tag(105, kind::BIT, 1);
        bit.bit = 3;
        let mut scaled = tag(109, kind::INT16, 1);
        scaled.scale = 0.5;
        scaled.offset = 1.0;
        let tags = [
            tag(100, kind::INT16, 1),
            cdab,
            tag(103, kind::FLOAT32, 2),
            bit,
            tag(106, kind::TEXT, 3),
            scaled,
            tag(110, kind::UINT16, 1),  // just after the request
            tag(99, kind::UINT32, 2),   // starts before it
            tag(109, kind::UINT32, 2),  // ends after it
        ];
        configure_tags(&tags).unwrap();
        let adu = unhex("0001 0000 0017 01 03 14 ff85 5678 1234 3fc0 0000 0008 4142 4300 0000 00fa");
        assert_eq!(
            outcome(FC3, &adu),
            "0006000000\
             000000000001 85ffffffffffffff\
             010000000002 7856341200000000\
             020000000003 000000000000f83f\
             030000000000 01\
             040000000004 03000000 414243\
             050000000003 0000000000805f40"
                .replace(' ', "")
        );
    }

    #[test]
    fn every_check_fails_with_its_own_error_first_failure_first() {
        let _instance = fresh();
        assert_eq!(outcome(FC3, &[]), "010000000000", "not configured");
        configure_tags(&[tag(100, kind::UINT16, 1)]).unwrap();
        let good = response(FC3, &[7; 10]);
        assert_eq!(&outcome(FC3, &good)[..10], "0001000000");
        assert_eq!(outcome([1, 1, 6, 100, 10], &good), "010100000000", "function 6");
        assert_eq!(outcome([1, 1, 3, 100, 0], &good), "010100000000", "quantity 0");
        assert_eq!(outcome([1, 1, 3, 100, 126], &good), "010100000000", "quantity 126");
        assert_eq!(outcome(FC3, &good[..7]), "010207000000", "truncated");
        assert_eq!(outcome(FC3, &unhex("0001 0001 0003 01 83 02")), "010301000000", "protocol id");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0001 01 83 02")), "010401000000", "length 1");
        assert_eq!(outcome(FC3, &unhex("0001 0000 00fe 01 83 02")), "0104fe000000", "length 254");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0006 01 03 02 0000")), "010506000000", "length mismatch");
        assert_eq!(outcome(FC3, &unhex("0002 0000 0003 01 83 02")), "010602000000", "transaction");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 09 83 02")), "010709000000", "unit");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 01 83 02")), "010902000000", "exception 2");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 01 83 0b")), "01090b000000", "exception 11");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 01 83 0c")), "010a0c000000", "exception code 12");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 01 83 00")), "010a00000000", "exception code 0");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0002 01 83")), "010a00000000", "exception without code");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0004 01 83 02 00")), "010a02000000", "exception too long");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 01 84 02")), "010884000000", "the other exception");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0003 01 04 02")), "010804000000", "function 4");
        assert_eq!(outcome(FC3, &unhex("0001 0000 0002 01 03")), "010b00000000", "no byte count");
        let mut short = good.clone();
        short[8] = 18;
        assert_eq!(outcome(FC3, &short), "010b12000000", "byte count 18");
        let mut trailing = response(FC3, &[7; 11]);
        trailing[8] = 20;
        assert_eq!(outcome(FC3, &trailing), "010b14000000", "a register trails");
        assert_eq!(outcome([1, 1, 3, 100, 11], &good), "010b14000000", "fewer registers than asked");
        // Earlier checks win: a bad request beats a truncated frame, a protocol id beats a length.
        assert_eq!(outcome([1, 1, 5, 100, 10], &[1]), "010100000000");
        assert_eq!(outcome(FC3, &unhex("0009 0001 00ff 07 05")), "010301000000");
        // Request fields are lifted from i32 by their low bits, as the canonical ABI does.
        assert_eq!(&outcome([0x10001, 0x101, 0x103, 100, 0x1000a], &good)[..10], "0001000000");
    }

    #[test]
    fn byte_and_word_swaps_follow_the_wit_orders() {
        let _instance = fresh();
        let with = |kind, length, order| Tag { order, ..tag(0, kind, length) };
        configure_tags(&[
            with(kind::UINT32, 2, 0),
            with(kind::UINT32, 2, BYTE_SWAP),
            with(kind::UINT32, 2, WORD_SWAP),
            with(kind::UINT32, 2, BYTE_SWAP | WORD_SWAP),
            with(kind::UINT64, 4, 0),
            with(kind::UINT64, 4, BYTE_SWAP),
            with(kind::UINT64, 4, WORD_SWAP),
            with(kind::UINT64, 4, BYTE_SWAP | WORD_SWAP),
            with(kind::UINT16, 1, BYTE_SWAP),
            with(kind::INT64, 4, 0),
            with(kind::INT32, 2, 0),
            Tag { bit: 15, ..with(kind::BIT, 1, BYTE_SWAP) },
            Tag { bit: 0, ..with(kind::BIT, 1, BYTE_SWAP) },
            with(kind::TEXT, 2, BYTE_SWAP),
        ])
        .unwrap();
        let request = [1, 1, 4, 0, 4];
        let out = outcome(request, &response(request, &[0x0102, 0x0304, 0x0506, 0x0708]));
        let value = |i: usize| &out[10 + i * 28 + 12..10 + i * 28 + 28];
        assert_eq!(value(0), "0403020100000000", "ABCD");
        assert_eq!(value(1), "0304010200000000", "BADC");
        assert_eq!(value(2), "0201040300000000", "CDAB");
        assert_eq!(value(3), "0102030400000000", "DCBA");
        assert_eq!(value(4), "0807060504030201", "ABCDEFGH");
        assert_eq!(value(5), "0708050603040102", "BADCFEHG");
        assert_eq!(value(6), "0201040306050807", "GHEFCDAB");
        assert_eq!(value(7), "0102030405060708", "HGFEDCBA");
        assert_eq!(value(8), "0102000000000000", "BA");
        assert_eq!(value(9), "0807060504030201", "int64");
        assert_eq!(value(10), "0403020100000000", "int32");
        // Byte-swapped 0x0102 is 0x0201: bit 15 clear, bit 0 set.
        assert_eq!(&out[10 + 11 * 28..][..14], "0b000000000000");
        assert_eq!(&out[10 + 11 * 28 + 14..][..14], "0c000000000001");
        assert_eq!(&out[10 + 11 * 28 + 28..], "0d0000000204 00000000".replace(' ', ""), "text, not printable");
    }

    #[test]
    fn reals_keep_negative_zero_and_report_non_finite_values_with_the_canonical_nan() {
        let _instance = fresh();
        let scaled = |kind, length, scale, offset| Tag { scale, offset, ..tag(0, kind, length) };
        configure_tags(&[
            tag(0, kind::FLOAT32, 2),                           // -0.0
            tag(2, kind::FLOAT32, 2),                           // a signalling NaN with payload
            tag(4, kind::FLOAT32, 2),                           // +infinity
            Tag { address: 0, ..scaled(kind::UINT64, 4, 1e300, 0.0) }, // 2^63 × 1e300: +infinity
            Tag { address: 6, ..scaled(kind::INT32, 2, 2.0, -1.0) },   // 0x7fffffff × 2 - 1
            Tag { address: 6, ..scaled(kind::FLOAT32, 2, f64::MAX, 0.0) }, // NaN × MAX
            scaled(kind::INT16, 1, 1.0, -0.0),                  // plain: -0.0 == 0.0
        ])
        .unwrap();
        let request = [1, 1, 3, 0, 8];
        let out = outcome(request, &response(request, &[0x8000, 0, 0x7f80, 0x0001, 0x7f80, 0, 0x7fff, 0xffff]));
        let reading = |i: usize| &out[10 + i * 28..10 + i * 28 + 28];
        assert_eq!(reading(0), "000000000003 0000000000000080".replace(' ', ""));
        assert_eq!(reading(1), "010000000103 000000000000f87f".replace(' ', ""));
        assert_eq!(reading(2), "020000000103 000000000000f07f".replace(' ', ""));
        assert_eq!(reading(3), "030000000103 000000000000f07f".replace(' ', ""));
        assert_eq!(reading(4), format!("040000000003{}", hex(&(2147483647.0f64 * 2.0 - 1.0).to_le_bytes())));
        assert_eq!(reading(5), "050000000103 000000000000f87f".replace(' ', ""));
        assert_eq!(&out[10 + 6 * 28..], "060000000001 0080ffffffffffff".replace(' ', ""), "integer, plain");
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn text_is_printable_ascii_without_trailing_nuls_or_empty() {
        let _instance = fresh();
        configure_tags(&[
            tag(0, kind::TEXT, 2),
            tag(2, kind::TEXT, 2),
            tag(4, kind::TEXT, 2),
            tag(6, kind::TEXT, 1),
            Tag { order: BYTE_SWAP, ..tag(7, kind::TEXT, 2) },
        ])
        .unwrap();
        let request = [1, 1, 3, 0, 9];
        // "A\0B\0" (a NUL inside), "~ \x7f" (DEL), all NULs, " !", "BA" "\0C" byte-swapped
        let out = outcome(request, &response(request, &[0x4100, 0x4200, 0x7e20, 0x7f00, 0, 0, 0x2021, 0x4241, 0x0043]));
        assert_eq!(
            out,
            "0005000000 000000000204 00000000 010000000204 00000000 020000000004 00000000 030000000004 02000000 2021 \
             040000000004 03000000 414243"
                .replace(' ', "")
        );
    }

    #[test]
    fn configure_refuses_the_first_bad_tag_with_its_problem() {
        let _instance = fresh();
        let ok = tag(0, kind::INT32, 2);
        assert_eq!(configure_tags(&vec![ok; 2049]), Err((2048, problem::TOO_MANY_TAGS)));
        assert_eq!(configure_tags(&vec![ok; 2048]), Ok(()));
        let cases = [
            (Tag { bit: 16, ..tag(0, kind::BIT, 1) }, problem::BAD_BIT),
            (Tag { bit: 1, ..tag(0, kind::UINT16, 1) }, problem::BAD_BIT),
            (Tag { bit: 1, ..tag(0, kind::UINT16, 2) }, problem::BAD_BIT),
            (tag(0, kind::BIT, 2), problem::BAD_LENGTH),
            (tag(0, kind::INT16, 2), problem::BAD_LENGTH),
            (tag(0, kind::FLOAT32, 4), problem::BAD_LENGTH),
            (tag(0, kind::FLOAT64, 2), problem::BAD_LENGTH),
            (tag(0, kind::TEXT, 0), problem::BAD_LENGTH),
            (tag(0, kind::TEXT, 126), problem::BAD_LENGTH),
            (tag(0, 10, 1), problem::BAD_LENGTH),
            (Tag { order: WORD_SWAP, ..tag(0, kind::BIT, 1) }, problem::BAD_ORDER),
            (Tag { order: WORD_SWAP, ..tag(0, kind::INT16, 1) }, problem::BAD_ORDER),
            (Tag { order: WORD_SWAP, ..tag(0, kind::TEXT, 4) }, problem::BAD_ORDER),
            (Tag { scale: f64::NAN, ..ok }, problem::BAD_SCALE),
            (Tag { offset: f64::NEG_INFINITY, ..ok }, problem::BAD_SCALE),
            (Tag { scale: 2.0, ..tag(0, kind::BIT, 1) }, problem::BAD_SCALE),
            (Tag { offset: -0.5, ..tag(0, kind::TEXT, 3) }, problem::BAD_SCALE),
            (Tag { order: WORD_SWAP, scale: f64::NAN, ..tag(0, kind::UINT16, 2) }, problem::BAD_LENGTH),
        ];
        for (bad, problem) in cases {
            assert_eq!(configure_tags(&[ok, ok, bad, ok]), Err((2, problem)));
        }
        assert_eq!(configure_tags(&[Tag { order: BYTE_SWAP | WORD_SWAP | 0xfc, ..ok }, tag(9, kind::TEXT, 125)]), Ok(()));
        // A refused map leaves the instance not configured; a later one replaces the map.
        assert_eq!(configure_tags(&[tag(0, kind::TEXT, 0)]), Err((0, problem::BAD_LENGTH)));
        assert_eq!(outcome(FC3, &response(FC3, &[0; 10])), "010000000000");
        configure_tags(&[tag(100, kind::UINT16, 1)]).unwrap();
        configure_tags(&[tag(101, kind::UINT16, 1), tag(100, kind::INT16, 1)]).unwrap();
        assert_eq!(&outcome(FC3, &response(FC3, &[0xffff; 10]))[..10], "0002000000");
    }

    #[test]
    fn memory_returns_to_the_mark_after_each_decode() {
        let _instance = fresh();
        let tags: Vec<Tag> = (0..125).map(|a| tag(a, kind::TEXT, 1)).collect();
        configure_tags(&tags).unwrap();
        let mark = unsafe { MARK };
        let request = [1, 1, 3, 0, 125];
        let adu = response(request, &[0x4142; 125]);
        for _ in 0..1000 {
            assert_eq!(&outcome(request, &adu)[..10], "007d000000");
            assert_eq!(unsafe { NEXT }, mark);
        }
        assert_eq!(memory::pages(), 1);
        // The largest map: 2048 tags and their readings need more than one page, and get it.
        let tags: Vec<Tag> = (0..2048).map(|i| tag(i % 125, kind::UINT16, 1)).collect();
        configure_tags(&tags).unwrap();
        assert_eq!(&outcome(request, &adu)[..10], "0000080000");
        assert!(memory::pages() > 1);
    }

    /// xorshift64*: deterministic random frames.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn hostile_tag_maps_requests_and_frames_never_trap() {
        let _instance = fresh();
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let mut decoded = 0;
        for _ in 0..20_000 {
            let tags: Vec<Tag> = (0..random.below(40))
                .map(|_| {
                    let kind = random.below(11) as u8;
                    let length = match random.below(4) {
                        0 => random.below(130) as u16,
                        _ => [1, 1, 1, 1, 2, 2, 4, 4, 2, 4, 1 + random.below(125) as u16, 1][kind as usize],
                    };
                    let real = |r: &mut Random| match r.below(6) {
                        0 => f64::from_bits(r.next()),
                        1 => 0.0,
                        _ => 1.0,
                    };
                    Tag {
                        address: if random.below(4) == 0 { random.next() as u16 } else { random.below(130) as u16 },
                        kind,
                        order: random.next() as u8 & if random.below(3) == 0 { 0xff } else { 3 },
                        bit: if random.below(3) == 0 { random.below(17) as u8 } else { 0 },
                        length,
                        scale: real(&mut random),
                        offset: real(&mut random) - 1.0,
                    }
                })
                .collect();
            let _ = configure_tags(&tags);
            let request = [
                random.below(3) as u32,
                random.below(3) as u32,
                [3, 4, 3, 4, 0x83, random.next() as u32][random.below(6) as usize],
                random.below(140) as u32,
                [random.below(130) as u32, 125, 1][random.below(3) as usize],
            ];
            let registers: Vec<u16> = (0..request[4].min(125)).map(|_| random.next() as u16).collect();
            let mut adu = response(request, &registers);
            for _ in 0..random.below(3) {
                let i = random.below(adu.len() as u64) as usize;
                adu[i] = random.next() as u8;
            }
            match random.below(4) {
                0 => adu.truncate(random.below(adu.len() as u64 + 1) as usize),
                1 => adu.extend((0..random.below(4)).map(|_| random.next() as u8)),
                _ => {}
            }
            let out = outcome(request, &adu);
            assert!(out.starts_with("00") || out.len() == 12);
            assert_eq!(unsafe { NEXT }, unsafe { MARK });
            decoded += (out.len() > 10) as u32;
        }
        assert!(decoded > 2_000, "only {decoded} frames got as far as readings");
    }

    #[test]
    fn maps_decode_in_one_pass_exactly_as_in_two() {
        let _instance = fresh();
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        let mut compared = 0;
        for _ in 0..5_000 {
            let tags: Vec<Tag> = (0..1 + random.below(60))
                .map(|_| {
                    let kind = random.below(10) as u8;
                    let length = [1, 1, 1, 2, 2, 4, 4, 2, 4, 1 + random.below(8) as u16][kind as usize];
                    let real = |r: &mut Random| match r.below(8) {
                        0 => f64::from_bits(r.next() & !(0x7ff << 52)),
                        1 => f64::MAX,
                        2 => -0.0,
                        3 => 0.5,
                        _ => 1.0,
                    };
                    Tag {
                        address: random.below(130) as u16,
                        kind,
                        order: random.next() as u8 & if length == 1 || kind == kind::TEXT { 0xfd } else { 0xff },
                        bit: if kind == kind::BIT { random.below(16) as u8 } else { 0 },
                        length,
                        scale: if kind == kind::BIT || kind == kind::TEXT { 1.0 } else { real(&mut random) },
                        offset: if kind == kind::BIT || kind == kind::TEXT { 0.0 } else { real(&mut random) - 1.0 },
                    }
                })
                .collect();
            configure_tags(&tags).unwrap();
            let quantity = 1 + random.below(125) as u32;
            let request = [1, 1, 3 + random.below(2) as u32, random.below(10) as u32, quantity];
            let registers: Vec<u16> = (0..quantity)
                .map(|_| match random.below(4) {
                    0 => 0x7f80 | random.next() as u16 & 0x807f, // float exponents of NaN and infinity
                    _ => random.next() as u16,
                })
                .collect();
            let adu = response(request, &registers);
            let once = outcome(request, &adu);
            unsafe { TWO_PASSES_ONLY = true };
            assert_eq!(outcome(request, &adu), once, "two passes differ from one");
            unsafe { TWO_PASSES_ONLY = false };
            compared += (once.len() > 10) as u32;
        }
        assert!(compared > 4_000, "only {compared} frames had readings");
    }
}
