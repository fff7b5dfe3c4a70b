/*
 * The hold-out kernels of the engine benchmark (tests/bench/engine --set holdout); see kernels.h.
 * They are never used to tune the interpreter: they check that what was tuned on kernels.c carries
 * over to code of the same kinds written otherwise (float loops, recursive calls, byte decoding,
 * hashing). Same rules as kernels.c: no libc, static state, a result that depends only on n.
 */
#include "kernels.h"

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name)))
#else
#define EXPORT(name)
#endif

/* A 64-bit linear congruential generator (Knuth's MMIX constants); the high half is returned. */
static uint32_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*state >> 32);
}

static uint32_t bits_of(double value)
{
    union { double d; uint64_t u; } pun = { value };
    return (uint32_t)(pun.u ^ (pun.u >> 32));
}

/* ---- nbody: five bodies, symplectic Euler, f64 with square roots ---- */

#define BODIES 5

struct body { double x, y, z, vx, vy, vz, mass; };

static struct body bodies[BODIES];

static double square_root(double value)
{
    return __builtin_sqrt(value); /* f64.sqrt in wasm, sqrtsd natively: both correctly rounded */
}

EXPORT(bench_nbody) uint32_t bench_nbody(uint32_t n)
{
    uint64_t state = 42;
    for (int i = 0; i < BODIES; i++) {
        bodies[i].x = (double)(lcg_next(&state) % 2000) / 100.0 - 10.0;
        bodies[i].y = (double)(lcg_next(&state) % 2000) / 100.0 - 10.0;
        bodies[i].z = (double)(lcg_next(&state) % 2000) / 100.0 - 10.0;
        bodies[i].vx = (double)(lcg_next(&state) % 200) / 1000.0 - 0.1;
        bodies[i].vy = (double)(lcg_next(&state) % 200) / 1000.0 - 0.1;
        bodies[i].vz = (double)(lcg_next(&state) % 200) / 1000.0 - 0.1;
        bodies[i].mass = 1.0 + (double)(lcg_next(&state) % 100) / 10.0;
    }

    const double dt = 0.001;
    for (uint32_t step = 0; step < n * 1000; step++) {
        for (int i = 0; i < BODIES; i++) {
            struct body *a = &bodies[i];
            for (int j = i + 1; j < BODIES; j++) {
                struct body *b = &bodies[j];
                double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
                double distance2 = dx * dx + dy * dy + dz * dz + 0.01;
                double magnitude = dt / (distance2 * square_root(distance2));
                a->vx -= dx * b->mass * magnitude;
                a->vy -= dy * b->mass * magnitude;
                a->vz -= dz * b->mass * magnitude;
                b->vx += dx * a->mass * magnitude;
                b->vy += dy * a->mass * magnitude;
                b->vz += dz * a->mass * magnitude;
            }
        }
        for (int i = 0; i < BODIES; i++) {
            bodies[i].x += dt * bodies[i].vx;
            bodies[i].y += dt * bodies[i].vy;
            bodies[i].z += dt * bodies[i].vz;
        }
    }

    uint32_t sum = 0;
    for (int i = 0; i < BODIES; i++) {
        sum = sum * 31 + bits_of(bodies[i].x) + bits_of(bodies[i].vy);
    }
    return sum;
}

/* ---- tak: Takeuchi's function, three arguments, deep non-tail recursion ---- */

static int32_t tak(int32_t x, int32_t y, int32_t z)
{
    return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

EXPORT(bench_tak) uint32_t bench_tak(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        sum = sum * 31 + (uint32_t)tak(16 + (int32_t)(round & 1), 10, 4 + (int32_t)(round & 3));
    }
    return sum;
}

/* ---- varint: LEB128 encode and decode of 16,384 values with zigzag signs ---- */

#define VARINT_VALUES 16384

static uint8_t varint_buffer[VARINT_VALUES * 10];

static uint32_t encode_varint(uint8_t *out, uint64_t value)
{
    uint32_t length = 0;
    while (value >= 0x80) {
        out[length++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    out[length++] = (uint8_t)value;
    return length;
}

EXPORT(bench_varint) uint32_t bench_varint(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        uint64_t state = 7 + round;
        uint32_t length = 0;
        for (uint32_t i = 0; i < VARINT_VALUES; i++) {
            int64_t value = (int64_t)(((uint64_t)lcg_next(&state) << 32) | lcg_next(&state)) >> (lcg_next(&state) & 63);
            uint64_t zigzag = ((uint64_t)value << 1) ^ (uint64_t)(value >> 63);
            length += encode_varint(varint_buffer + length, zigzag);
        }

        int64_t total = 0;
        uint32_t at = 0;
        while (at < length) {
            uint64_t value = 0;
            uint32_t shift = 0;
            uint8_t byte;
            do {
                byte = varint_buffer[at++];
                value |= (uint64_t)(byte & 0x7F) << shift;
                shift += 7;
            } while (byte & 0x80);
            total += (int64_t)(value >> 1) ^ -(int64_t)(value & 1);
        }
        sum = sum * 31 + (uint32_t)total + (uint32_t)((uint64_t)total >> 32) + length;
    }
    return sum;
}

/* ---- base64: decode 48 KiB of base64 text through a 256-entry table ---- */

#define BASE64_BYTES 36864 /* decoded; the text is 4/3 of it */

static uint8_t base64_text[BASE64_BYTES / 3 * 4];
static uint8_t base64_out[BASE64_BYTES];
static int8_t base64_values[256];

EXPORT(bench_base64) uint32_t bench_base64(uint32_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 256; i++) {
        base64_values[i] = -1;
    }
    for (int i = 0; i < 64; i++) {
        base64_values[(uint8_t)alphabet[i]] = (int8_t)i;
    }
    uint64_t state = 99;
    for (uint32_t i = 0; i < sizeof base64_text; i++) {
        base64_text[i] = (uint8_t)alphabet[lcg_next(&state) & 63];
    }

    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        base64_text[round % sizeof base64_text] = (uint8_t)alphabet[round & 63];
        uint32_t out = 0;
        int32_t invalid = 0;
        for (uint32_t i = 0; i < sizeof base64_text; i += 4) {
            int32_t a = base64_values[base64_text[i]], b = base64_values[base64_text[i + 1]];
            int32_t c = base64_values[base64_text[i + 2]], d = base64_values[base64_text[i + 3]];
            invalid |= a | b | c | d;
            uint32_t word = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
            base64_out[out++] = (uint8_t)(word >> 16);
            base64_out[out++] = (uint8_t)(word >> 8);
            base64_out[out++] = (uint8_t)word;
        }
        uint32_t check = (uint32_t)invalid;
        for (uint32_t i = 0; i < out; i += 97) {
            check = check * 33 + base64_out[i];
        }
        sum = sum * 31 + check;
    }
    return sum;
}

/* ---- lu: LU decomposition with partial pivoting of a 40 x 40 f64 matrix ---- */

#define LU_SIZE 40

static double lu_matrix[LU_SIZE][LU_SIZE];

static double magnitude_of(double value)
{
    return value < 0 ? -value : value;
}

EXPORT(bench_lu) uint32_t bench_lu(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        uint64_t state = 1000 + round;
        for (int i = 0; i < LU_SIZE; i++) {
            for (int j = 0; j < LU_SIZE; j++) {
                lu_matrix[i][j] = (double)(lcg_next(&state) % 1000) / 37.0 - 13.0;
            }
        }
        double determinant = 1.0;
        for (int k = 0; k < LU_SIZE; k++) {
            int pivot = k;
            for (int i = k + 1; i < LU_SIZE; i++) {
                if (magnitude_of(lu_matrix[i][k]) > magnitude_of(lu_matrix[pivot][k])) {
                    pivot = i;
                }
            }
            if (pivot != k) {
                for (int j = 0; j < LU_SIZE; j++) {
                    double t = lu_matrix[k][j];
                    lu_matrix[k][j] = lu_matrix[pivot][j];
                    lu_matrix[pivot][j] = t;
                }
                determinant = -determinant;
            }
            determinant *= lu_matrix[k][k];
            for (int i = k + 1; i < LU_SIZE; i++) {
                double factor = lu_matrix[i][k] / lu_matrix[k][k];
                lu_matrix[i][k] = factor;
                for (int j = k + 1; j < LU_SIZE; j++) {
                    lu_matrix[i][j] -= factor * lu_matrix[k][j];
                }
            }
        }
        sum = sum * 31 + bits_of(determinant) + bits_of(lu_matrix[LU_SIZE - 1][LU_SIZE - 1]);
    }
    return sum;
}

/* ---- xxh32: xxHash32 of a 64 KiB buffer (four lanes of rotate-multiply, little-endian reads) ---- */

#define XXH_BYTES 65536

static uint8_t xxh_buffer[XXH_BYTES];

static uint32_t rotate_left(uint32_t value, int count)
{
    return (value << count) | (value >> (32 - count));
}

static uint32_t read32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t xxh32(const uint8_t *data, uint32_t length, uint32_t seed)
{
    const uint32_t p1 = 2654435761u, p2 = 2246822519u, p3 = 3266489917u, p5 = 374761393u;
    uint32_t v1 = seed + p1 + p2, v2 = seed + p2, v3 = seed, v4 = seed - p1;
    uint32_t at = 0;
    for (; at + 16 <= length; at += 16) {
        v1 = rotate_left(v1 + read32(data + at) * p2, 13) * p1;
        v2 = rotate_left(v2 + read32(data + at + 4) * p2, 13) * p1;
        v3 = rotate_left(v3 + read32(data + at + 8) * p2, 13) * p1;
        v4 = rotate_left(v4 + read32(data + at + 12) * p2, 13) * p1;
    }
    uint32_t h = rotate_left(v1, 1) + rotate_left(v2, 7) + rotate_left(v3, 12) + rotate_left(v4, 18) + length;
    for (; at < length; at++) {
        h = rotate_left(h + data[at] * p5, 11) * p1;
    }
    h ^= h >> 15;
    h *= p2;
    h ^= h >> 13;
    h *= p3;
    h ^= h >> 16;
    return h;
}

EXPORT(bench_xxh32) uint32_t bench_xxh32(uint32_t n)
{
    uint64_t state = 5;
    for (uint32_t i = 0; i < XXH_BYTES; i++) {
        xxh_buffer[i] = (uint8_t)lcg_next(&state);
    }
    uint32_t sum = 0;
    for (uint32_t round = 0; round < n; round++) {
        sum = sum * 31 + xxh32(xxh_buffer, XXH_BYTES - (round & 7), round);
    }
    return sum;
}
