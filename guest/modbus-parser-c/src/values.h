/*
 * One tag's registers made a value, as the WIT record tag and variant value describe it.
 */
#ifndef MODBUS_PARSER_VALUES_H
#define MODBUS_PARSER_VALUES_H

#include "abi.h"

/* Sets reading->quality and reading->value for a tag of any kind but text, from its registers as they came
 * on the wire (`registers`: the first register's high byte in the response). */
void decode_number(const struct wit_tag *tag, const uint8_t *registers, struct wit_reading *reading);

/* Sets reading->quality and reading->value for a text tag whose characters, in order, are `characters`
 * (2 × tag->length bytes; the value points into them). */
void decode_text(const struct wit_tag *tag, const uint8_t *characters, struct wit_reading *reading);

#endif
