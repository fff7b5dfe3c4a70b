#include "values.h"

#include "heap.h"

#define NOINLINE __attribute__((noinline))

/* IEEE 754 binary64 quiet NaN with an all-zero payload: what the WIT asks for every NaN. */
#define CANONICAL_NAN_BITS 0x7FF8000000000000ull

#define QUALITY_SHIFT 32

union f64_bits {
    double value;
    uint64_t bits;
};

union f32_bits {
    float value;
    uint32_t bits;
};

/* One register, most significant byte first (A of AB), or swapped (BA): the order's byte-swap flag. */
static uint32_t word(const uint8_t *bytes, uint32_t byte_swap)
{
    uint32_t high = bytes[0];
    uint32_t low = bytes[1];
    return byte_swap != 0 ? (low << 8) | high : (high << 8) | low;
}

/*
 * The tag's registers as one unsigned number, most significant byte first (A of ABCD...):
 * word-swap: the registers came least significant first, so register j of the value is the wire's n-1-j;
 * byte-swap: the two bytes of every register came low byte first.
 */
static uint64_t registers32(const uint8_t *r, uint8_t order)
{
#ifdef APPLIANCE_TEST_BYTE_ORDER_SLIP
    /* A deliberate common-mode bug for the diversity test (tests/Appliance.Gateway.Tests/CommonModeTests.cs): the
     * byte-swap flag of 32- and 64-bit values is ignored. Only that test builds it; the product never does. */
    uint32_t swap = 0;
    (void)ORDER_BYTE_SWAP;
#else
    uint32_t swap = order & ORDER_BYTE_SWAP;
#endif
    uint32_t first = word(r, swap);
    uint32_t second = word(r + 2, swap);
    return (order & ORDER_WORD_SWAP) != 0 ? (second << 16) | first : (first << 16) | second;
}

static uint64_t registers64(const uint8_t *r, uint8_t order)
{
    uint64_t first = registers32(r, order & ORDER_BYTE_SWAP);
    uint64_t second = registers32(r + 4, order & ORDER_BYTE_SWAP);
    if ((order & ORDER_WORD_SWAP) != 0) {
        /* GHEFCDAB: the four registers reversed, i.e. the two halves swapped and each half's registers too */
        first = ((first & 0xFFFFu) << 16) | (first >> 16);
        second = ((second & 0xFFFFu) << 16) | (second >> 16);
        return (second << 32) | first;
    }

    return (first << 32) | second;
}

static bool unscaled(const struct wit_tag *tag)
{
    return tag->scale == 1.0 && tag->offset == 0.0;
}

/* A real value: not-finite (NaN made canonical) or good. */
static void set_real(double value, uint64_t *reading)
{
    union f64_bits real = { .value = value };
    if (__builtin_isnan(value)) {
        real.bits = CANONICAL_NAN_BITS;
    }

    if (!__builtin_isfinite(value)) {
        reading[0] |= (uint64_t)QUALITY_NOT_FINITE << QUALITY_SHIFT;
    }

    reading[1] = VALUE_REAL;
    reading[2] = real.bits;
}

/* raw × scale + offset, in f64, in that order (no fused multiply-add exists in WebAssembly). With scale 1 and
 * offset 0 the value is the raw one untouched: -0.0 × 1 + 0 would be +0.0, and a float keeps its sign. */
static NOINLINE void set_scaled(const struct wit_tag *tag, double raw, uint64_t *reading)
{
    set_real(unscaled(tag) ? raw : (raw * tag->scale) + tag->offset, reading);
}

/* "Integer kinds with scale 1 and offset 0 stay integers"; otherwise the scaled value is a real. */
static NOINLINE void set_signed(const struct wit_tag *tag, int64_t raw, uint64_t *reading)
{
    if (unscaled(tag)) {
        reading[1] = VALUE_SIGNED;
        reading[2] = (uint64_t)raw;
    } else {
        set_real(((double)raw * tag->scale) + tag->offset, reading);
    }
}

static NOINLINE void set_unsigned(const struct wit_tag *tag, uint64_t raw, uint64_t *reading)
{
    if (unscaled(tag)) {
        reading[1] = VALUE_UNSIGNED;
        reading[2] = raw;
    } else {
        set_real(((double)raw * tag->scale) + tag->offset, reading);
    }
}

typedef void decoder(const struct wit_tag *tag, const uint8_t *registers, struct response_view *response, uint64_t *reading);

static void decode_bit(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    reading[1] = VALUE_BOOLEAN;
    reading[2] = (word(r, tag->order & ORDER_BYTE_SWAP) >> tag->bit) & 1u;
}

static void decode_int16(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    set_signed(tag, (int16_t)(uint16_t)word(r, tag->order & ORDER_BYTE_SWAP), reading);
}

static void decode_uint16(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    set_unsigned(tag, word(r, tag->order & ORDER_BYTE_SWAP), reading);
}

static void decode_int32(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    set_signed(tag, (int32_t)(uint32_t)registers32(r, tag->order), reading);
}

static void decode_uint32(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    set_unsigned(tag, registers32(r, tag->order), reading);
}

static void decode_int64(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    set_signed(tag, (int64_t)registers64(r, tag->order), reading);
}

static void decode_uint64(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    set_unsigned(tag, registers64(r, tag->order), reading);
}

static void decode_float32(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    union f32_bits single = { .bits = (uint32_t)registers32(r, tag->order) };
    set_scaled(tag, (double)single.value, reading);
}

static void decode_float64(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    (void)response;
    union f64_bits real = { .bits = registers64(r, tag->order) };
    set_scaled(tag, real.value, reading);
}

/* Printable ASCII, the only bytes a text value may hold. */
static bool printable(uint8_t byte)
{
    return byte >= 0x20 && byte <= 0x7E;
}

void prepare_text(struct response_view *response, uint32_t byte_swap)
{
    struct text_view *view = &response->text[byte_swap];
    uint32_t size = response->size;
    const uint8_t *characters = response->registers;
    if (byte_swap != 0) {
        uint8_t *copy = heap_allocate(2, size);
        for (uint32_t i = 0; i < size; i += 2) {
            copy[i] = characters[i + 1];
            copy[i + 1] = characters[i];
        }

        characters = copy;
    }

    uint8_t *trimmed_end = heap_allocate(1, size + 1);
    uint8_t *next_unprintable = heap_allocate(1, size + 1);
    trimmed_end[0] = 0;
    for (uint32_t i = 0; i < size; i++) {
        trimmed_end[i + 1] = characters[i] != 0 ? (uint8_t)(i + 1) : trimmed_end[i];
    }

    next_unprintable[size] = (uint8_t)size;
    for (uint32_t i = size; i > 0; i--) {
        next_unprintable[i - 1] = printable(characters[i - 1]) ? next_unprintable[i] : (uint8_t)(i - 1);
    }

    view->characters = characters;
    view->trimmed_end = trimmed_end;
    view->next_unprintable = next_unprintable;
}

/* Text: the characters up to the trailing NULs, all printable ASCII, or an empty text of quality not-text. */
static void decode_text(const struct wit_tag *tag, const uint8_t *r, struct response_view *response, uint64_t *reading)
{
    const struct text_view *view = &response->text[tag->order & ORDER_BYTE_SWAP];
    uint32_t start = (uint32_t)(r - response->registers);
    uint32_t end = view->trimmed_end[start + (2u * tag->length)];
    uint32_t length = end > start ? end - start : 0;
    if (view->next_unprintable[start] < start + length) {
        reading[0] |= (uint64_t)QUALITY_NOT_TEXT << QUALITY_SHIFT;
        length = 0;
    }

    reading[1] = VALUE_TEXT;
    reading[2] = (uint64_t)(uint32_t)(uintptr_t)(view->characters + start) | ((uint64_t)length << 32);
}

/* Indexed by enum kind. */
static decoder *const decoders[KIND_COUNT] = {
    [KIND_BIT] = decode_bit,
    [KIND_INT16] = decode_int16,
    [KIND_UINT16] = decode_uint16,
    [KIND_INT32] = decode_int32,
    [KIND_UINT32] = decode_uint32,
    [KIND_INT64] = decode_int64,
    [KIND_UINT64] = decode_uint64,
    [KIND_FLOAT32] = decode_float32,
    [KIND_FLOAT64] = decode_float64,
    [KIND_TEXT] = decode_text,
};

void decode_tag(const struct wit_tag *tag, uint32_t at, struct response_view *response, uint64_t *reading)
{
    decoders[tag->kind](tag, response->registers + at, response, reading);
}
