/*
 * The canonical ABI of world `modbus-sandbox` (wit/modbus-parser.wit), by hand: the WIT enums with their
 * discriminants, and the memory layout of every record that crosses the boundary. Component Model,
 * CanonicalABI.md: "Alignment" and "Element Size" (a record is laid out field by field, each at its own
 * alignment; a variant is its discriminant, then its payload at the payload's largest alignment) and
 * "Flattening" (more than one flat result: the function returns a pointer to a result area).
 *
 * The static assertions pin every offset, so a change of the C structures cannot silently move a field.
 */
#ifndef MODBUS_PARSER_ABI_H
#define MODBUS_PARSER_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* enum kind */
enum kind {
    KIND_BIT,
    KIND_INT16,
    KIND_UINT16,
    KIND_INT32,
    KIND_UINT32,
    KIND_INT64,
    KIND_UINT64,
    KIND_FLOAT32,
    KIND_FLOAT64,
    KIND_TEXT,
    KIND_COUNT,
};

/* flags order: one bit per flag, in declaration order. Bits beyond the last flag are ignored, as the
 * canonical ABI ignores them when it lifts flags. */
enum order {
    ORDER_BYTE_SWAP = 1u << 0,
    ORDER_WORD_SWAP = 1u << 1,
    ORDER_ALL = ORDER_BYTE_SWAP | ORDER_WORD_SWAP,
};

/* enum tag-problem */
enum tag_problem {
    PROBLEM_TOO_MANY_TAGS,
    PROBLEM_BAD_BIT,
    PROBLEM_BAD_LENGTH,
    PROBLEM_BAD_ORDER,
    PROBLEM_BAD_SCALE,
};

/* enum quality */
enum quality {
    QUALITY_GOOD,
    QUALITY_NOT_FINITE,
    QUALITY_NOT_TEXT,
};

/* variant value: the cases */
enum value_case {
    VALUE_BOOLEAN,
    VALUE_SIGNED,
    VALUE_UNSIGNED,
    VALUE_REAL,
    VALUE_TEXT,
};

/* variant decode-error: the cases, and the width of each one's payload */
enum decode_error {
    ERROR_NOT_CONFIGURED,       /* no payload */
    ERROR_BAD_REQUEST,          /* no payload */
    ERROR_TRUNCATED,            /* u32: bytes received */
    ERROR_PROTOCOL_ID,          /* u16 */
    ERROR_LENGTH_OUT_OF_RANGE,  /* u16 */
    ERROR_LENGTH_MISMATCH,      /* u16 */
    ERROR_TRANSACTION_MISMATCH, /* u16 */
    ERROR_UNIT_MISMATCH,        /* u8 */
    ERROR_FUNCTION_MISMATCH,    /* u8 */
    ERROR_EXCEPTION,            /* u8 */
    ERROR_BAD_EXCEPTION,        /* u8 */
    ERROR_BYTE_COUNT_MISMATCH,  /* u8 */
};

/*
 *  record tag (size 24, align 8)
 *  0        2      3       4     5     6        8               16              24
 *  +--------+------+-------+-----+-----+--------+---------------+---------------+
 *  |address |kind  |order  |bit  |pad  |length  | scale f64     | offset f64    |
 *  | u16    |u8    |flags8 |u8   |     |u16     |               |               |
 *  +--------+------+-------+-----+-----+--------+---------------+---------------+
 */
struct wit_tag {
    uint16_t address;
    uint8_t kind;
    uint8_t order;
    uint8_t bit;
    uint8_t padding;
    uint16_t length;
    double scale;
    double offset;
};
_Static_assert(sizeof(struct wit_tag) == 24 && _Alignof(struct wit_tag) == 8, "tag is 24 bytes, align 8");
_Static_assert(offsetof(struct wit_tag, kind) == 2 && offsetof(struct wit_tag, order) == 3, "tag.kind, tag.order");
_Static_assert(offsetof(struct wit_tag, bit) == 4 && offsetof(struct wit_tag, length) == 6, "tag.bit, tag.length");
_Static_assert(offsetof(struct wit_tag, scale) == 8 && offsetof(struct wit_tag, offset) == 16, "tag.scale, tag.offset");

/*
 *  result<_, config-error> (size 12, align 4)
 *  0      4         8         12
 *  +------+---------+---------+
 *  |case  |err: tag |err:     |
 *  |u8    |u32      |problem u8
 *  +------+---------+---------+
 */
struct config_result {
    uint8_t is_error;
    uint32_t tag;
    uint8_t problem;
};
_Static_assert(sizeof(struct config_result) == 12 && _Alignof(struct config_result) == 4, "config result area");
_Static_assert(offsetof(struct config_result, tag) == 4 && offsetof(struct config_result, problem) == 8, "config-error fields");

/*
 *  result<list<reading>, decode-error> (size 12, align 4)
 *  0      4                8               12
 *  +------+----------------+----------------+
 *  |case  | ok: list ptr   | ok: list len   |
 *  |u8    | err: case u8   | err: payload   |   payload: u32, u16 or u8 (little-endian, as wide as the case's)
 *  +------+----------------+----------------+
 */
struct decode_result {
    uint8_t is_error;
    union {
        struct {
            uint32_t readings;
            uint32_t count;
        } ok;
        struct {
            uint8_t error;
            uint32_t detail;
        } error;
    } as;
};
_Static_assert(sizeof(struct decode_result) == 12 && _Alignof(struct decode_result) == 4, "decode result area");
_Static_assert(offsetof(struct decode_result, as.ok.count) == 8 && offsetof(struct decode_result, as.error.detail) == 8, "decode result fields");

/*
 *  record reading (size 24, align 8): the variant `value` is a field at its own alignment (8), its case byte
 *  first and its payload at the payload's alignment (8).
 *  0        4        5      8           9      16                    24
 *  +--------+--------+------+-----------+------+---------------------+
 *  |tag u32 |quality |pad   |value case |pad   | value payload (8)   |   text: ptr u32 @16, len u32 @20
 *  +--------+--------+------+-----------+------+---------------------+
 */
struct wit_value {
    uint8_t value_case;
    union {
        uint8_t boolean;
        int64_t signed_value;
        uint64_t unsigned_value;
        double real;
        struct {
            uint32_t bytes;
            uint32_t length;
        } text;
    } as;
};

struct wit_reading {
    uint32_t tag;
    uint8_t quality;
    struct wit_value value;
};
_Static_assert(sizeof(struct wit_reading) == 24 && _Alignof(struct wit_reading) == 8, "reading is 24 bytes, align 8");
_Static_assert(offsetof(struct wit_reading, quality) == 4, "reading.quality");
_Static_assert(offsetof(struct wit_reading, value.value_case) == 8, "reading.value case");
_Static_assert(offsetof(struct wit_reading, value.as.text.length) == 20, "reading.value payload");

#endif
