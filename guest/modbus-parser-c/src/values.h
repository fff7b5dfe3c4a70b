/*
 * One tag's registers made a reading, as the WIT records tag, value and reading describe it.
 *
 * Fuel (appliance/Appliance.Wasm/README.md) charges a region's every operator, both arms of each branch included,
 * on every entry: a loop body pays for all it contains on every iteration. So the per-tag work is one small
 * function per kind, called through a table, and a text tag is checked in constant time from an index built
 * once per response (prepare_text), never byte by byte: the largest map (MAX_TAGS tags, every one inside the request) decodes
 * well within the fuel the appliance ships with.
 */
#ifndef MODBUS_PARSER_VALUES_H
#define MODBUS_PARSER_VALUES_H

#include "abi.h"

/* A reading as three little-endian words: tag | quality << 32, the value's case, the value's payload
 * (text: pointer | length << 32). Every byte, padding included, is written. */
typedef uint64_t reading_words[3];
_Static_assert(sizeof(reading_words) == sizeof(struct wit_reading), "a reading is three words");

/* The characters of the response's registers in one byte order, and what a text tag needs to know of them:
 * where the NUL padding before a position starts and where the next byte outside printable ASCII is. */
struct text_view {
    const uint8_t *characters;
    uint8_t *trimmed_end;      /* [i]: 1 + the index of the last non-NUL byte before i, or 0 */
    uint8_t *next_unprintable; /* [i]: the index of the first byte at or after i outside 0x20-0x7E, or the size */
};

/* Everything the decoders of one response share. */
struct response_view {
    const uint8_t *registers; /* the first register's high byte */
    uint32_t size;            /* bytes of register data: 2 × quantity, at most 250 */
    struct text_view text[2]; /* [0]: as on the wire (AB), [1]: each register's bytes swapped (BA) */
};

/* Builds response->text[byte_swap] (byte_swap 0 or 1), which every text tag of that order inside the request needs
 * before decode_tag; the swapped one starts with a copy of the registers, every register's bytes swapped. */
void prepare_text(struct response_view *response, uint32_t byte_swap);

/* Sets the reading of `tag`, whose first register is `at` bytes into the response's data. The reading's first
 * word already holds the tag's index. */
void decode_tag(const struct wit_tag *tag, uint32_t at, struct response_view *response, uint64_t *reading);

#endif
