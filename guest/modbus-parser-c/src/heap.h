/*
 * The guest's heap: one bump allocator above the data, in two parts.
 *
 *  0            8 KiB          __heap_base                 kept end                   top
 *  +------------+--------------+---------------------------+--------------------------+---------- - -
 *  | stack      | static data  | the tag map (kept from    | this call: the ADU the   | free; memory
 *  | (grows     | (result      |  one configure to the     | host wrote, the readings,| grows a page at
 *  |  down)     |  areas)      |  next)                    | the text indexes         | a time if needed
 *  +------------+--------------+---------------------------+--------------------------+---------- - -
 *
 * Everything above the kept end belongs to one call and is released by decode's post-return, or, if the host
 * never called it, by the next allocation that starts a new call. So decoding any number of responses never
 * grows the memory beyond what the largest one needed.
 */
#ifndef MODBUS_PARSER_HEAP_H
#define MODBUS_PARSER_HEAP_H

#include <stdint.h>

/* The first byte of the heap (the tag map lives here), 8-aligned. */
uint8_t *heap_start(void);

/* Makes the first `bytes` bytes of the heap (the tag map) permanent and releases everything above them. */
void heap_keep(uint32_t bytes);

/* Allocates `size` bytes aligned to `align` (a power of two) for the current call; grows the memory if
 * needed and traps, as the canonical ABI requires of a failed realloc, when it cannot. Never returns NULL. */
uint8_t *heap_allocate(uint32_t align, uint32_t size);

/* A result has been handed to the host: the next new allocation starts a new call. */
void heap_result_returned(void);

/* Releases everything the current call allocated (decode's post-return). */
void heap_release_call(void);

/* Copies `length` bytes; the ranges may overlap. */
void copy_bytes(uint8_t *to, const uint8_t *from, uint32_t length);

#endif
