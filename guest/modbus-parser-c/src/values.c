#include "values.h"

#include "tag_map.h"

/* IEEE 754 binary64 quiet NaN with an all-zero payload: what the WIT asks for every NaN. */
#define CANONICAL_NAN_BITS 0x7FF8000000000000ull

union f64_bits {
    double value;
    uint64_t bits;
};

union f32_bits {
    float value;
    uint32_t bits;
};

/*
 * The tag's registers as one unsigned number, most significant byte first (A of ABCD...):
 * word-swap: the registers came least significant first, so register j of the value is the wire's n-1-j;
 * byte-swap: the two bytes of every register came low byte first.
 */
static uint64_t assemble(const uint8_t *registers, uint32_t count, uint8_t order)
{
    uint64_t value = 0;
    for (uint32_t j = 0; j < count; j++) {
        uint32_t wire = (order & ORDER_WORD_SWAP) != 0 ? count - 1 - j : j;
        uint32_t high = registers[2 * wire];
        uint32_t low = registers[(2 * wire) + 1];
        uint32_t word = (order & ORDER_BYTE_SWAP) != 0 ? (low << 8) | high : (high << 8) | low;
        value = (value << 16) | word;
    }

    return value;
}

static void set_real(struct wit_reading *reading, double value)
{
    union f64_bits real = { .value = value };
    if (__builtin_isnan(value)) {
        real.bits = CANONICAL_NAN_BITS;
    }

    reading->quality = __builtin_isfinite(value) ? QUALITY_GOOD : QUALITY_NOT_FINITE;
    reading->value.value_case = VALUE_REAL;
    reading->value.as.unsigned_value = real.bits;
}

/* raw × scale + offset, in f64, in that order (no fused multiply-add exists in WebAssembly). */
static double scaled(const struct wit_tag *tag, double raw)
{
    return (raw * tag->scale) + tag->offset;
}

static bool unscaled(const struct wit_tag *tag)
{
    return tag->scale == 1.0 && tag->offset == 0.0;
}

static void set_signed(const struct wit_tag *tag, int64_t raw, struct wit_reading *reading)
{
    if (unscaled(tag)) {
        reading->quality = QUALITY_GOOD;
        reading->value.value_case = VALUE_SIGNED;
        reading->value.as.signed_value = raw;
    } else {
        set_real(reading, scaled(tag, (double)raw));
    }
}

static void set_unsigned(const struct wit_tag *tag, uint64_t raw, struct wit_reading *reading)
{
    if (unscaled(tag)) {
        reading->quality = QUALITY_GOOD;
        reading->value.value_case = VALUE_UNSIGNED;
        reading->value.as.unsigned_value = raw;
    } else {
        set_real(reading, scaled(tag, (double)raw));
    }
}

void decode_number(const struct wit_tag *tag, const uint8_t *registers, struct wit_reading *reading)
{
    enum kind kind = (enum kind)tag->kind;
    uint64_t raw = assemble(registers, kind_registers(kind), tag->order);
    switch (kind) {
    case KIND_BIT:
        reading->quality = QUALITY_GOOD;
        reading->value.value_case = VALUE_BOOLEAN;
        reading->value.as.boolean = (uint8_t)((raw >> tag->bit) & 1u);
        break;
    case KIND_INT16:
        set_signed(tag, (int16_t)(uint16_t)raw, reading);
        break;
    case KIND_UINT16:
    case KIND_UINT32:
    case KIND_UINT64:
        set_unsigned(tag, raw, reading);
        break;
    case KIND_INT32:
        set_signed(tag, (int32_t)(uint32_t)raw, reading);
        break;
    case KIND_INT64:
        set_signed(tag, (int64_t)raw, reading);
        break;
    case KIND_FLOAT32: {
        union f32_bits single = { .bits = (uint32_t)raw };
        set_real(reading, scaled(tag, (double)single.value));
        break;
    }
    case KIND_FLOAT64: {
        union f64_bits real = { .bits = raw };
        set_real(reading, scaled(tag, real.value));
        break;
    }
    default:
        __builtin_trap(); /* text is decode_text's; configure refused every other kind */
    }
}

/* Printable ASCII, the only bytes a text value may hold. */
static bool printable(uint8_t byte)
{
    return byte >= 0x20 && byte <= 0x7E;
}

void decode_text(const struct wit_tag *tag, const uint8_t *characters, struct wit_reading *reading)
{
    uint32_t length = 2u * tag->length;
    while (length > 0 && characters[length - 1] == 0) {
        length--; /* trailing NULs are padding, not text */
    }

    reading->quality = QUALITY_GOOD;
    for (uint32_t i = 0; i < length; i++) {
        if (!printable(characters[i])) {
            reading->quality = QUALITY_NOT_TEXT;
            length = 0;
            break;
        }
    }

    reading->value.value_case = VALUE_TEXT;
    reading->value.as.text.bytes = (uint32_t)(uintptr_t)characters;
    reading->value.as.text.length = length;
}
