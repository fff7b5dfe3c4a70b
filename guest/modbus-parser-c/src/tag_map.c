#include "tag_map.h"

#include "heap.h"

static bool configured;
static uint32_t tag_count;

/* Indexed by enum kind: registers a value spans (text: its own length). */
static const uint8_t registers_of[KIND_COUNT] = {
    [KIND_BIT] = 1,
    [KIND_INT16] = 1,
    [KIND_UINT16] = 1,
    [KIND_INT32] = 2,
    [KIND_UINT32] = 2,
    [KIND_INT64] = 4,
    [KIND_UINT64] = 4,
    [KIND_FLOAT32] = 2,
    [KIND_FLOAT64] = 4,
    [KIND_TEXT] = 0,
};

uint32_t kind_registers(enum kind kind)
{
    return (uint32_t)kind < KIND_COUNT ? registers_of[kind] : 0;
}

/* The checks of one tag, in the order of the WIT enum tag-problem. Returns true if the tag is valid. */
static bool check_tag(const struct wit_tag *tag, enum tag_problem *problem)
{
    /* A kind past the enum (no component runtime would lift it) is refused like any other bad tag: no length fits
     * it, so it fails at bad-length (or bad-bit, with a bit set). */
    enum kind kind = (enum kind)tag->kind;

    /* bit: "the bit of the register, 0 (least significant) to 15. Zero otherwise." */
    if (kind == KIND_BIT ? tag->bit > 15 : tag->bit != 0) {
        *problem = PROBLEM_BAD_BIT;
        return false;
    }

    /* length: "1 for bit/int16/uint16, 2 for 32-bit kinds, 4 for 64-bit kinds, 1 to 125 for text" */
    uint32_t registers = kind_registers(kind);
    bool length_ok = kind == KIND_TEXT ? (tag->length >= 1 && tag->length <= MAX_TEXT_REGISTERS) : registers != 0 && tag->length == registers;
    if (!length_ok) {
        *problem = PROBLEM_BAD_LENGTH;
        return false;
    }

    /* order: a word swap needs at least two registers of one value; text is a byte string, not a number. */
    bool single_register = kind == KIND_BIT || kind == KIND_INT16 || kind == KIND_UINT16 || kind == KIND_TEXT;
    if (single_register && (tag->order & ORDER_WORD_SWAP) != 0) {
        *problem = PROBLEM_BAD_ORDER;
        return false;
    }

    /* scale and offset: finite; a boolean or a text cannot be scaled, so there they must be 1 and 0. */
    bool finite = __builtin_isfinite(tag->scale) && __builtin_isfinite(tag->offset);
    bool unscaled = tag->scale == 1.0 && tag->offset == 0.0;
    if (!finite || ((kind == KIND_BIT || kind == KIND_TEXT) && !unscaled)) {
        *problem = PROBLEM_BAD_SCALE;
        return false;
    }

    return true;
}

bool tag_map_configure(const struct wit_tag *tags, uint32_t count, uint32_t *bad_tag, enum tag_problem *problem)
{
    configured = false;
    tag_count = 0;
    if (count > MAX_TAGS) {
        *bad_tag = MAX_TAGS; /* the first tag that does not fit */
        *problem = PROBLEM_TOO_MANY_TAGS;
        heap_keep(0);
        return false;
    }

    for (uint32_t i = 0; i < count; i++) {
        if (!check_tag(&tags[i], problem)) {
            *bad_tag = i;
            heap_keep(0);
            return false;
        }
    }

    /* The list was written above the previous map; move it down to the start of the heap and keep it. */
    copy_bytes(heap_start(), (const uint8_t *)tags, count * (uint32_t)sizeof(struct wit_tag));
    heap_keep(count * (uint32_t)sizeof(struct wit_tag));
    configured = true;
    tag_count = count;
    return true;
}

const struct wit_tag *tag_map_tags(void)
{
    return configured ? (const struct wit_tag *)heap_start() : 0;
}

uint32_t tag_map_count(void)
{
    return tag_count;
}
