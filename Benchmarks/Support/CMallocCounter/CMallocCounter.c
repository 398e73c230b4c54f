#include "CMallocCounter.h"
#include <stdatomic.h>

#if defined(__GLIBC__)
extern void *__libc_malloc(size_t);
static atomic_size_t calls = 0;

void *malloc(size_t bytes) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    return __libc_malloc(bytes);
}

size_t rewind_malloc_calls(void) { return atomic_load_explicit(&calls, memory_order_relaxed); }
#else
size_t rewind_malloc_calls(void) { return 0; }
#endif
