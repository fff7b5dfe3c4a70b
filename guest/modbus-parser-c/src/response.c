#include "response.h"

/*
 *  Response ADU
 *  0          2          4          6       7          8            9
 *  +----------+----------+----------+-------+----------+------------+------------------------- - -
 *  |transaction protocol |length    |unit   |function  |byte count  | registers, 2 bytes each,
 *  |id u16 BE |id u16 BE |u16 BE    |id u8  |code u8   |u8 (2 × N)  | big-endian (N = quantity)
 *  +----------+----------+----------+-------+----------+------------+------------------------- - -
 *  |<----------- MBAP header (7) ---------->|<------------------ PDU ----------------------- - -
 *
 *  length counts the bytes that follow it: the unit id and the PDU, so a whole ADU is length + 6 bytes.
 *
 *  Exception response: the function code with its high bit set (function | 0x80), then one exception code.
 *  +-- MBAP (length 3) --+----------------+----------------+
 *  |                     | function|0x80  | exception code |
 *  +---------------------+----------------+----------------+
 */
enum {
    MBAP_TRANSACTION = 0,
    MBAP_PROTOCOL = 2,
    MBAP_LENGTH = 4,
    MBAP_UNIT = 6,
    MBAP_SIZE = 7,
    PDU_FUNCTION = 7,
    PDU_BYTE_COUNT = 8,   /* normal response */
    PDU_EXCEPTION_CODE = 8, /* exception response */
    EXCEPTION_ADU_SIZE = 9,
};

/* The MBAP length field's range for this world: a unit id and at least a function code (2), at most the
 * longest PDU of a read response (253). */
#define LENGTH_MIN 2u
#define LENGTH_MAX 253u

/* Exception codes of v1.1b3 §7: 01 to 0B. */
#define EXCEPTION_CODE_MIN 1u
#define EXCEPTION_CODE_MAX 11u

#define EXCEPTION_BIT 0x80u

static uint32_t u16_at(const uint8_t *bytes, uint32_t at)
{
    return ((uint32_t)bytes[at] << 8) | bytes[at + 1];
}

static bool refuse(enum decode_error error, uint32_t detail, enum decode_error *out_error, uint32_t *out_detail)
{
    *out_error = error;
    *out_detail = detail;
    return false;
}

bool request_is_answerable(const struct request *request)
{
    return (request->function == 3 || request->function == 4) && request->quantity >= 1 && request->quantity <= MAX_QUANTITY;
}

bool response_check(const struct request *request, const uint8_t *adu, uint32_t length, enum decode_error *error, uint32_t *detail)
{
    if (length < MBAP_SIZE + 1) {
        return refuse(ERROR_TRUNCATED, length, error, detail);
    }

    uint32_t protocol = u16_at(adu, MBAP_PROTOCOL);
    if (protocol != 0) {
        return refuse(ERROR_PROTOCOL_ID, protocol, error, detail);
    }

    uint32_t declared = u16_at(adu, MBAP_LENGTH);
    if (declared < LENGTH_MIN || declared > LENGTH_MAX) {
        return refuse(ERROR_LENGTH_OUT_OF_RANGE, declared, error, detail);
    }

    if (declared != length - (MBAP_SIZE - 1)) {
        return refuse(ERROR_LENGTH_MISMATCH, declared, error, detail);
    }

    uint32_t transaction = u16_at(adu, MBAP_TRANSACTION);
    if (transaction != request->transaction) {
        return refuse(ERROR_TRANSACTION_MISMATCH, transaction, error, detail);
    }

    if (adu[MBAP_UNIT] != request->unit) {
        return refuse(ERROR_UNIT_MISMATCH, adu[MBAP_UNIT], error, detail);
    }

    uint32_t function = adu[PDU_FUNCTION];
    if (function == (request->function | EXCEPTION_BIT)) {
        /* An exception PDU is exactly two bytes; one without its code byte reports code 0. */
        uint32_t code = length > PDU_EXCEPTION_CODE ? adu[PDU_EXCEPTION_CODE] : 0;
        if (length != EXCEPTION_ADU_SIZE || code < EXCEPTION_CODE_MIN || code > EXCEPTION_CODE_MAX) {
            return refuse(ERROR_BAD_EXCEPTION, code, error, detail);
        }

        return refuse(ERROR_EXCEPTION, code, error, detail);
    }

    if (function != request->function) {
        return refuse(ERROR_FUNCTION_MISMATCH, function, error, detail);
    }

    /* A response without its byte count reports a count of 0. */
    uint32_t count = length > PDU_BYTE_COUNT ? adu[PDU_BYTE_COUNT] : 0;
    if (length <= PDU_BYTE_COUNT || count != 2u * request->quantity || count != length - RESPONSE_REGISTERS) {
        return refuse(ERROR_BYTE_COUNT_MISMATCH, count, error, detail);
    }

    return true;
}
