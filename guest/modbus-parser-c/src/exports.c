/*
 * The exports of world modbus-sandbox (wit/modbus-parser.wit), interface ics:gateway/modbus-parser@0.1.0,
 * lowered by the canonical ABI (see abi.h):
 *
 *   cabi_realloc(old ptr, old size, align, new size) -> ptr
 *   configure(tags ptr, tags len) -> ptr to result<_, config-error>
 *   decode(transaction, unit, function, address, quantity, adu ptr, adu len) -> ptr to result<list<reading>, decode-error>
 *   cabi_post_...#decode(result ptr): the host has read the result; its memory may be reused
 *
 * Written from the WIT and the Modbus specifications only: an independent implementation that votes beside
 * the Rust guest (guest/modbus-parser), so that one parser's bug cannot corrupt every voter.
 */
#include "abi.h"
#include "heap.h"
#include "response.h"
#include "tag_map.h"
#include "values.h"

#define EXPORT(name) __attribute__((export_name(name)))
#define INTERFACE "ics:gateway/modbus-parser@0.1.0#"

static struct config_result config_area;
static struct decode_result decode_area;

EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
    if (old != 0 && new_size <= old_size) {
        return old;
    }

    uint8_t *fresh = heap_allocate((uint32_t)align, (uint32_t)new_size);
    if (old != 0) {
        copy_bytes(fresh, (const uint8_t *)old, (uint32_t)old_size);
    }

    return fresh;
}

EXPORT(INTERFACE "configure")
struct config_result *configure(const struct wit_tag *tags, uint32_t count)
{
    uint32_t bad_tag = 0;
    enum tag_problem problem = PROBLEM_TOO_MANY_TAGS;
    bool accepted = tag_map_configure(tags, count, &bad_tag, &problem);
    config_area.is_error = accepted ? 0 : 1;
    config_area.tag = accepted ? 0 : bad_tag;
    config_area.problem = accepted ? 0 : (uint8_t)problem;
    return &config_area;
}

static struct decode_result *refused(enum decode_error error, uint32_t detail)
{
    decode_area.is_error = 1;
    decode_area.as.error.error = (uint8_t)error;
    decode_area.as.error.detail = detail;
    heap_result_returned();
    return &decode_area;
}

EXPORT(INTERFACE "decode")
struct decode_result *decode(uint32_t transaction, uint32_t unit, uint32_t function, uint32_t address, uint32_t quantity,
                             const uint8_t *adu, uint32_t length)
{
    /* Lifting a u16 or u8 argument keeps its low bits (canonical ABI, lift_flat_unsigned). */
    struct request request = {
        .transaction = (uint16_t)transaction,
        .unit = (uint8_t)unit,
        .function = (uint8_t)function,
        .address = (uint16_t)address,
        .quantity = (uint16_t)quantity,
    };
    const struct wit_tag *tags = tag_map_tags();
    if (tags == 0) {
        return refused(ERROR_NOT_CONFIGURED, 0);
    }

    if (!request_is_answerable(&request)) {
        return refused(ERROR_BAD_REQUEST, 0);
    }

    enum decode_error error = ERROR_NOT_CONFIGURED;
    uint32_t detail = 0;
    if (!response_check(&request, adu, length, &error, &detail)) {
        return refused(error, detail);
    }

    /* "every tag that lies wholly inside the requested registers", counted without wrapping at 65536 */
    uint32_t first = request.address;
    uint32_t end = first + request.quantity;
    uint32_t count = tag_map_count();
    uint32_t inside = 0;
    uint32_t text_orders = 0; /* bit 0: a text tag in AB order is inside, bit 1: one in BA order */
    for (uint32_t i = 0; i < count; i++) {
        const struct wit_tag *tag = &tags[i];
        if (tag->address >= first && (uint32_t)tag->address + tag->length <= end) {
            inside++;
            text_orders |= tag->kind == KIND_TEXT ? 1u << (tag->order & ORDER_BYTE_SWAP) : 0;
        }
    }

    uint64_t *list = (uint64_t *)heap_allocate(8, inside * (uint32_t)sizeof(struct wit_reading));
    struct response_view response = {
        .registers = adu + RESPONSE_REGISTERS,
        .size = 2u * request.quantity,
    };
    for (uint32_t byte_swap = 0; byte_swap < 2; byte_swap++) {
        if ((text_orders & (1u << byte_swap)) != 0) {
            prepare_text(&response, byte_swap);
        }
    }
    uint64_t *reading = list;
    for (uint32_t i = 0; i < count; i++) {
        const struct wit_tag *tag = &tags[i];
        if (tag->address >= first && (uint32_t)tag->address + tag->length <= end) {
            reading[0] = i; /* the tag's index; quality good (0) unless the decoder says otherwise */
            decode_tag(tag, 2u * (tag->address - first), &response, reading);
            reading += 3;
        }
    }

    decode_area.is_error = 0;
    decode_area.as.ok.readings = (uint32_t)(uintptr_t)list;
    decode_area.as.ok.count = inside;
    heap_result_returned();
    return &decode_area;
}

EXPORT("cabi_post_" INTERFACE "decode")
void decode_post_return(struct decode_result *result)
{
    (void)result;
    heap_release_call();
}
