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

#endif
