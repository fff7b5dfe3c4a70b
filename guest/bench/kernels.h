/*
 * The compute kernels of the engine benchmark (tests/bench/engine). Each one does a deterministic
 * amount of work that grows linearly with n and returns a checksum of everything it computed, so
 * the four runtimes that run it (our engine, native code, V8, wabt) can be checked to agree.
 * The same C builds as wasm32 (clang, no libc) and natively (gcc, with tests/bench/native_main.c).
 */
#ifndef APPLIANCE_BENCH_KERNELS_H
#define APPLIANCE_BENCH_KERNELS_H

#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), table-driven, n passes over a 64 KiB buffer. */
uint32_t bench_crc32(uint32_t n);

/* Sieve of Eratosthenes up to about 2^18, n times; sums the prime counts. */
uint32_t bench_sieve(uint32_t n);

/* 64 x 64 double matrix multiply, n times on fresh matrices (exact values: no rounding differences). */
uint32_t bench_matmul(uint32_t n);

/* Quicksort (median of three, insertion sort below 16) of 16,384 PRNG words, n times. */
uint32_t bench_sort(uint32_t n);

/* Doubly recursive Fibonacci of 20..23, n times: call and return overhead. */
uint32_t bench_fib(uint32_t n);

/* Decodes a Modbus read-holding-registers payload of 125 big-endian registers into int16, uint16,
 * uint32 and float32 values with word swaps, scale and offset, n times on changing data. */
uint32_t bench_modbus(uint32_t n);

/* The hold-out kernels (holdout.c): never used to tune the interpreter, only to check that the tuning carries over. */

/* Five-body gravity simulation, symplectic Euler, 1000 n steps: f64 arithmetic with square roots. */
uint32_t bench_nbody(uint32_t n);

/* Takeuchi's function tak(16..17, 10, 4..7), n times: three-argument recursive calls. */
uint32_t bench_tak(uint32_t n);

/* LEB128 encode and decode of 16,384 zigzag-signed 64-bit values, n times: a byte-decoding loop. */
uint32_t bench_varint(uint32_t n);

/* Base64 decode of 48 KiB of text through a lookup table, n times. */
uint32_t bench_base64(uint32_t n);

/* LU decomposition with partial pivoting of a 40 x 40 f64 matrix, n times. */
uint32_t bench_lu(uint32_t n);

/* xxHash32 of a 64 KiB buffer, n times. */
uint32_t bench_xxh32(uint32_t n);

#endif
