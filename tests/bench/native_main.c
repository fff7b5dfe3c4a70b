/*
 * The native baseline of tests/bench/engine: times the kernels of guest/bench/kernels.c compiled with
 * gcc -O2, the same way the other runtimes are timed (one warm-up run, then the median of RUNS runs).
 *
 *   kernels-native RUNS NAME=N...
 *
 * prints one JSON object: {"NAME": {"n": N, "ms": MEDIAN, "checksum": C}, ...}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels.h"

struct kernel {
    const char *name;
    uint32_t (*run)(uint32_t n);
};

static const struct kernel kernels[] = {
    { "crc32", bench_crc32 },
    { "sieve", bench_sieve },
    { "matmul", bench_matmul },
    { "sort", bench_sort },
    { "fib", bench_fib },
    { "modbus", bench_modbus },
    { "nbody", bench_nbody },
    { "tak", bench_tak },
    { "varint", bench_varint },
    { "base64", bench_base64 },
    { "lu", bench_lu },
    { "xxh32", bench_xxh32 },
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s RUNS NAME=N...\n", argv[0]);
        return 2;
    }
    int runs = atoi(argv[1]);
    if (runs < 1 || runs > 1000) {
        fprintf(stderr, "RUNS must be 1..1000\n");
        return 2;
    }

    double *times = malloc(sizeof(double) * (size_t)runs);
    printf("{");
    for (int a = 2; a < argc; a++) {
        const char *equals = strchr(argv[a], '=');
        const struct kernel *kernel = NULL;
        for (size_t k = 0; equals != NULL && k < sizeof kernels / sizeof kernels[0]; k++) {
            if (strlen(kernels[k].name) == (size_t)(equals - argv[a]) && strncmp(kernels[k].name, argv[a], (size_t)(equals - argv[a])) == 0) {
                kernel = &kernels[k];
            }
        }
        if (kernel == NULL) {
            fprintf(stderr, "unknown kernel or missing =N: %s\n", argv[a]);
            return 2;
        }
        uint32_t n = (uint32_t)strtoul(equals + 1, NULL, 10);

        uint32_t checksum = kernel->run(n); /* warm-up */
        for (int r = 0; r < runs; r++) {
            double start = now_ms();
            uint32_t result = kernel->run(n);
            times[r] = now_ms() - start;
            if (result != checksum) {
                fprintf(stderr, "%s: checksum changed between runs (%u, then %u)\n", kernel->name, checksum, result);
                return 1;
            }
        }
        qsort(times, (size_t)runs, sizeof(double), compare_doubles);
        printf("%s\"%s\": {\"n\": %u, \"runs\": %d, \"ms\": %.4f, \"checksum\": %u}", a > 2 ? ", " : "", kernel->name, n, runs, times[runs / 2], checksum);
    }
    printf("}\n");
    free(times);
    return 0;
}
