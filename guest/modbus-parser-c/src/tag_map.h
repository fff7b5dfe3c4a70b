/*
 * The tag map of one poll group: what `configure` checks and keeps for every later `decode`.
 */
#ifndef MODBUS_PARSER_TAG_MAP_H
#define MODBUS_PARSER_TAG_MAP_H

#include "abi.h"

/* The most tags one map may hold (the WIT's too-many-tags). A map and one decode's readings take 24 bytes a
 * tag each (texts point into the response, or into one byte-swapped copy of it): at most 96 KiB. */
#define MAX_TAGS 2048u

/* Registers a tag of the kind spans; 0 for text, whose length is its own (1 to MAX_TEXT_REGISTERS). */
uint32_t kind_registers(enum kind kind);
#define MAX_TEXT_REGISTERS 125u

/* Checks `count` tags and, when every one is valid, keeps a copy as the map; otherwise the parser is left
 * unconfigured and *bad_tag, *problem say which tag was refused and why (the first failing check wins). */
bool tag_map_configure(const struct wit_tag *tags, uint32_t count, uint32_t *bad_tag, enum tag_problem *problem);

/* The kept map: NULL until a configure has succeeded (the parser is not configured). */
const struct wit_tag *tag_map_tags(void);
uint32_t tag_map_count(void);

#endif
