/*
 * The compute kernels of the engine benchmark; see kernels.h. No libc: clang builds it for wasm32 with
 * -nostdlib -ffreestanding -fno-builtin (so no memset/memcpy calls appear), gcc builds it natively.
 * State lives in static arrays in linear memory (about 600 KiB in all); every kernel regenerates the
 * data it reads, so a call's result depends only on n, never on earlier calls.
 */
#include "kernels.h"

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name)))
#else
#define EXPORT(name)
#endif

/* xorshift32 (Marsaglia 2003): a small deterministic generator; the seed must not be 0. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static uint32_t seed_of(uint32_t salt, uint32_t round)
{
    uint32_t seed = salt ^ (round * 0x9E3779B9u);
    return seed == 0 ? 1 : seed;
}

/* ---- crc32 ---- */

#define CRC_BYTES 65536

static uint32_t crc_table[256];
static uint8_t crc_buffer[CRC_BYTES];

EXPORT(bench_crc32) uint32_t bench_crc32(uint32_t n)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[i] = c;
    }

    uint32_t state = 0x12345678u;
    for (uint32_t i = 0; i < CRC_BYTES; i++) {
        crc_buffer[i] = (uint8_t)(next_random(&state) >> 24);
    }

    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        uint32_t crc = ~round;
        for (uint32_t i = 0; i < CRC_BYTES; i++) {
            crc = crc_table[(crc ^ crc_buffer[i]) & 0xFF] ^ (crc >> 8);
        }
        sum = sum * 31 + ~crc;
    }
    return sum;
}

/* ---- sieve ---- */

#define SIEVE_LIMIT (1u << 18)

static uint8_t sieve_flags[SIEVE_LIMIT];

EXPORT(bench_sieve) uint32_t bench_sieve(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        uint32_t limit = SIEVE_LIMIT - (round & 1023);
        /* Odd numbers are candidates; 2 is counted apart. */
        for (uint32_t i = 0; i < limit; i++) {
            sieve_flags[i] = (uint8_t)(i & 1);
        }
        sieve_flags[1] = 0;
        for (uint32_t i = 3; i * i < limit; i += 2) {
            if (sieve_flags[i]) {
                for (uint32_t j = i * i; j < limit; j += 2 * i) {
                    sieve_flags[j] = 0;
                }
            }
        }
        uint32_t primes = 1;
        for (uint32_t i = 3; i < limit; i += 2) {
            primes += sieve_flags[i];
        }
        sum = sum * 31 + primes;
    }
    return sum;
}

/* ---- matmul ---- */

#define MATRIX_N 64

static double matrix_a[MATRIX_N * MATRIX_N];
static double matrix_b[MATRIX_N * MATRIX_N];
static double matrix_c[MATRIX_N * MATRIX_N];

EXPORT(bench_matmul) uint32_t bench_matmul(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        uint32_t state = seed_of(0x6D61746Du, round);
        /* Multiples of 1/16 below 64: every product and sum is exact, so no runtime can round differently. */
        for (uint32_t i = 0; i < MATRIX_N * MATRIX_N; i++) {
            matrix_a[i] = (double)(next_random(&state) & 1023) / 16.0;
            matrix_b[i] = (double)(next_random(&state) & 1023) / 16.0;
        }
        for (uint32_t i = 0; i < MATRIX_N; i++) {
            for (uint32_t j = 0; j < MATRIX_N; j++) {
                double acc = 0.0;
                for (uint32_t k = 0; k < MATRIX_N; k++) {
                    acc += matrix_a[i * MATRIX_N + k] * matrix_b[k * MATRIX_N + j];
                }
                matrix_c[i * MATRIX_N + j] = acc;
            }
        }
        for (uint32_t i = 0; i < MATRIX_N * MATRIX_N; i++) {
            sum = sum * 31 + (uint32_t)(matrix_c[i] * 256.0);
        }
    }
    return sum;
}

/* ---- sort ---- */

#define SORT_N 16384

static uint32_t sort_data[SORT_N];

static void insertion_sort(uint32_t *a, int32_t lo, int32_t hi)
{
    for (int32_t i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        int32_t j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap_words(uint32_t *a, int32_t i, int32_t j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Hoare partition around the median of three; recurses into the smaller side, loops on the larger. */
static void quicksort(uint32_t *a, int32_t lo, int32_t hi)
{
    while (hi - lo >= 16) {
        int32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap_words(a, mid, lo);
        if (a[hi] < a[lo]) swap_words(a, hi, lo);
        if (a[hi] < a[mid]) swap_words(a, hi, mid);
        uint32_t pivot = a[mid];
        int32_t i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j) break;
            swap_words(a, i, j);
        }
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

EXPORT(bench_sort) uint32_t bench_sort(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        uint32_t state = seed_of(0x736F7274u, round);
        for (uint32_t i = 0; i < SORT_N; i++) {
            sort_data[i] = next_random(&state);
        }
        quicksort(sort_data, 0, SORT_N - 1);
        /* Weighted by position, so the checksum proves the order as well as the contents. */
        for (uint32_t i = 0; i < SORT_N; i++) {
            sum += sort_data[i] * (i + 1);
        }
    }
    return sum;
}

/* ---- fib ---- */

static uint32_t fib(uint32_t k)
{
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

EXPORT(bench_fib) uint32_t bench_fib(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        sum = sum * 31 + fib(20 + (round & 3));
    }
    return sum;
}

/* ---- modbus ---- */

/* The payload of a read-holding-registers response (Modbus Application Protocol v1.1b3 §6.3): 125
 * registers, each big-endian (§4.2), decoded by a tag table as a gateway's configuration would. */
#define REGISTERS 125
#define MAX_TAGS REGISTERS

enum tag_type { TAG_INT16, TAG_UINT16, TAG_UINT32, TAG_FLOAT32 };
enum word_order { ORDER_ABCD, ORDER_CDAB, ORDER_BADC, ORDER_DCBA };

struct tag {
    uint8_t type;
    uint8_t order;
    uint16_t address;
    float scale;
    float offset;
};

/* One device's worth of tags, repeated over the 125 registers (13 registers per repetition). */
static const struct tag tag_pattern[] = {
    { TAG_INT16, ORDER_ABCD, 0, 0.1f, 0.0f },
    { TAG_UINT16, ORDER_ABCD, 1, 1.0f, 0.0f },
    { TAG_UINT32, ORDER_ABCD, 2, 1.0f, 0.0f },
    { TAG_UINT32, ORDER_CDAB, 4, 1.0f, 0.0f },
    { TAG_FLOAT32, ORDER_ABCD, 6, 1.0f, 0.0f },
    { TAG_FLOAT32, ORDER_CDAB, 8, 0.5f, 1.0f },
    { TAG_FLOAT32, ORDER_BADC, 10, 2.0f, -3.0f },
    { TAG_INT16, ORDER_ABCD, 12, 0.01f, 20.0f },
};
#define PATTERN_TAGS (sizeof tag_pattern / sizeof tag_pattern[0])
#define PATTERN_REGISTERS 13

static uint8_t modbus_payload[2 * REGISTERS];
static struct tag modbus_tags[MAX_TAGS];

static uint32_t float_bits(float value)
{
    union { float f; uint32_t u; } pun;
    pun.f = value;
    /* NaN payloads may differ between runtimes (Core spec 4.3.3): all NaNs count as the canonical one. */
    return value != value ? 0x7FC00000u : pun.u;
}

static float bits_float(uint32_t bits)
{
    union { uint32_t u; float f; } pun;
    pun.u = bits;
    return pun.f;
}

static uint32_t register_at(const uint8_t *payload, uint32_t address)
{
    return ((uint32_t)payload[2 * address] << 8) | payload[2 * address + 1];
}

/* Two registers as one 32-bit value; A is the most significant byte of the value. */
static uint32_t word32_at(const uint8_t *payload, uint32_t address, uint8_t order)
{
    uint32_t a = payload[2 * address], b = payload[2 * address + 1];
    uint32_t c = payload[2 * address + 2], d = payload[2 * address + 3];
    switch (order) {
    case ORDER_CDAB: return (c << 24) | (d << 16) | (a << 8) | b;
    case ORDER_BADC: return (b << 24) | (a << 16) | (d << 8) | c;
    case ORDER_DCBA: return (d << 24) | (c << 16) | (b << 8) | a;
    default: return (a << 24) | (b << 16) | (c << 8) | d;
    }
}

static uint32_t build_tags(void)
{
    uint32_t count = 0;
    for (uint32_t base = 0; base + PATTERN_REGISTERS <= REGISTERS; base += PATTERN_REGISTERS) {
        for (uint32_t t = 0; t < PATTERN_TAGS; t++) {
            modbus_tags[count] = tag_pattern[t];
            modbus_tags[count].address = (uint16_t)(base + tag_pattern[t].address);
            count++;
        }
    }
    /* The registers left over are plain int16 values. */
    for (uint32_t address = (REGISTERS / PATTERN_REGISTERS) * PATTERN_REGISTERS; address < REGISTERS; address++) {
        modbus_tags[count].type = TAG_INT16;
        modbus_tags[count].order = ORDER_ABCD;
        modbus_tags[count].address = (uint16_t)address;
        modbus_tags[count].scale = 1.0f;
        modbus_tags[count].offset = 0.0f;
        count++;
    }
    return count;
}

static uint32_t decode(const uint8_t *payload, const struct tag *tags, uint32_t count)
{
    uint32_t hash = 0;
    for (uint32_t t = 0; t < count; t++) {
        const struct tag *tag = &tags[t];
        uint32_t value;
        switch (tag->type) {
        case TAG_INT16:
            value = float_bits((float)(int16_t)register_at(payload, tag->address) * tag->scale + tag->offset);
            break;
        case TAG_UINT16:
            value = register_at(payload, tag->address);
            break;
        case TAG_UINT32:
            value = word32_at(payload, tag->address, tag->order);
            break;
        default:
            value = float_bits(bits_float(word32_at(payload, tag->address, tag->order)) * tag->scale + tag->offset);
            break;
        }
        hash = hash * 31 + value;
    }
    return hash;
}

EXPORT(bench_modbus) uint32_t bench_modbus(uint32_t n)
{
    uint32_t count = build_tags();
    uint32_t state = 0xC0FFEE11u;
    for (uint32_t i = 0; i < 2 * REGISTERS; i++) {
        modbus_payload[i] = (uint8_t)(next_random(&state) >> 24);
    }

    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        /* Each poll brings new data: a few bytes change. */
        modbus_payload[next_random(&state) % (2 * REGISTERS)] = (uint8_t)round;
        sum = sum * 31 + decode(modbus_payload, modbus_tags, count);
    }
    return sum;
}
