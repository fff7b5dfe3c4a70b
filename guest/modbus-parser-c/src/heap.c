#include "heap.h"

#include <stdbool.h>
#include <stddef.h>

#define PAGE_SIZE 65536u

/* Provided by wasm-ld: the first address above the static data (and the stack, which comes first). */
extern uint8_t __heap_base;

static uint32_t kept_end;   /* end of the permanent part (the tag map); 0 until first used */
static uint32_t top;        /* next free byte */
static bool result_pending; /* a result was returned and its post-return has not run yet */

static uint32_t align_up(uint32_t value, uint32_t align)
{
    return (value + (align - 1)) & ~(align - 1);
}

static void start(void)
{
    if (kept_end == 0) {
        kept_end = align_up((uint32_t)(uintptr_t)&__heap_base, 8);
        top = kept_end;
    }
}

uint8_t *heap_start(void)
{
    start();
    return (uint8_t *)(uintptr_t)align_up((uint32_t)(uintptr_t)&__heap_base, 8);
}

void heap_keep(uint32_t bytes)
{
    kept_end = (uint32_t)(uintptr_t)heap_start() + align_up(bytes, 8);
    top = kept_end;
    result_pending = false;
}

void heap_result_returned(void)
{
    result_pending = true;
}

void heap_release_call(void)
{
    start();
    top = kept_end;
    result_pending = false;
}

uint8_t *heap_allocate(uint32_t align, uint32_t size)
{
    start();
    if (result_pending) {
        heap_release_call();
    }

    if (align == 0 || (align & (align - 1)) != 0 || align > 8) {
        __builtin_trap(); /* the canonical ABI only asks for 1, 2, 4 or 8 */
    }

    uint64_t at = ((uint64_t)top + (align - 1)) & ~(uint64_t)(align - 1);
    uint64_t end = at + size;
    uint64_t available = (uint64_t)__builtin_wasm_memory_size(0) * PAGE_SIZE;
    if (end > available) {
        uint64_t pages = (end - available + (PAGE_SIZE - 1)) / PAGE_SIZE;
        if (end > 0xFFFFFFFFu || __builtin_wasm_memory_grow(0, (size_t)pages) == (size_t)-1) {
            __builtin_trap();
        }
    }

    top = (uint32_t)end;
    return (uint8_t *)(uintptr_t)at;
}

/* Eight bytes at a time where both ends and the length allow it: fuel is paid per loop iteration. */
static void copy_words(uint8_t *to, const uint8_t *from, uint32_t length)
{
    uint64_t word;
    if (to < from) {
        for (uint32_t i = 0; i < length; i += 8) {
            __builtin_memcpy(&word, from + i, 8);
            __builtin_memcpy(to + i, &word, 8);
        }
    } else {
        for (uint32_t i = length; i > 0; i -= 8) {
            __builtin_memcpy(&word, from + i - 8, 8);
            __builtin_memcpy(to + i - 8, &word, 8);
        }
    }
}

void copy_bytes(uint8_t *to, const uint8_t *from, uint32_t length)
{
    if ((((uint32_t)(uintptr_t)to | (uint32_t)(uintptr_t)from | length) & 7u) == 0) {
        copy_words(to, from, length);
    } else if (to < from) {
        for (uint32_t i = 0; i < length; i++) {
            to[i] = from[i];
        }
    } else {
        for (uint32_t i = length; i > 0; i--) {
            to[i - 1] = from[i - 1];
        }
    }
}
