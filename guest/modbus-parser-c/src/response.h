/*
 * The response ADU, checked against the request it answers: the MBAP header (Modbus Messaging on TCP/IP
 * Implementation Guide v1.0b, §3.1.3) and the PDU of a Read Holding/Input Registers response or of an
 * exception response (Modbus Application Protocol v1.1b3, §6.3, §6.4 and §7).
 */
#ifndef MODBUS_PARSER_RESPONSE_H
#define MODBUS_PARSER_RESPONSE_H

#include "abi.h"

/* The WIT record request, its fields narrowed to their WIT widths. */
struct request {
    uint16_t transaction;
    uint8_t unit;
    uint8_t function;
    uint16_t address;
    uint16_t quantity;
};

/* Largest quantity of registers one read may ask for (v1.1b3 §6.3: 1 to 125, 0x7D). */
#define MAX_QUANTITY 125u

/* Offset of the first register's high byte in a normal response. */
#define RESPONSE_REGISTERS 9u

/* True when the request is one this parser answers: FC 3 or 4, 1 to 125 registers. */
bool request_is_answerable(const struct request *request);

/* True when `adu` is a normal response to `request` carrying exactly its registers (from
 * adu + RESPONSE_REGISTERS, big-endian). Otherwise *error and *detail say why, the first failing check
 * in the order of the WIT variant decode-error winning; *detail is the offending field as received. */
bool response_check(const struct request *request, const uint8_t *adu, uint32_t length, enum decode_error *error, uint32_t *detail);

#endif
