/* The reference for `argmap af solve --semantics grounded`: an ICCMA'23 file in, the grounded
   extension out as a `w` line. Linear: read the numbers, build the attack lists (CSR), then
   label in waves (unattacked IN, what they attack OUT, an argument IN once all its attackers
   are OUT). Compiled by benchmarks/af_solve.py; never part of argmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: grounded_ref FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    char *buf = malloc(size + 1);
    if (fread(buf, 1, size, f) != (size_t)size) { perror("read"); return 2; }
    buf[size] = 0; fclose(f);
    long n = -1, m = 0, cap = 1 << 20;
    int *src = malloc(sizeof(int) * cap), *dst = malloc(sizeof(int) * cap);
    char *p = buf;
    while (*p) {
        char *line = p;
        while (*p && *p != '\n') p++;
        if (*p) *p++ = 0;
        while (*line == ' ' || *line == '\t') line++;
        if (!*line || *line == '#' || *line == '\r') continue;
        if (n < 0) { if (sscanf(line, "p af %ld", &n) != 1) { fprintf(stderr, "no header\n"); return 2; } continue; }
        char *end;
        long a = strtol(line, &end, 10), b = strtol(end, &end, 10);
        if (m == cap) { cap *= 2; src = realloc(src, sizeof(int) * cap); dst = realloc(dst, sizeof(int) * cap); }
        src[m] = (int)a - 1; dst[m] = (int)b - 1; m++;
    }
    if (n < 0) { fprintf(stderr, "no header\n"); return 2; }
    int *ptr = calloc(n + 1, sizeof(int)), *tgt = malloc(sizeof(int) * (m ? m : 1));
    int *left = calloc(n, sizeof(int)), *queue = malloc(sizeof(int) * (n ? n : 1));
    char *label = calloc(n, 1);  /* 0 undecided, 1 in, 2 out */
    for (long i = 0; i < m; i++) { ptr[src[i] + 1]++; left[dst[i]]++; }
    for (long i = 0; i < n; i++) ptr[i + 1] += ptr[i];
    int *fill = malloc(sizeof(int) * (n ? n : 1));
    memcpy(fill, ptr, sizeof(int) * n);
    for (long i = 0; i < m; i++) tgt[fill[src[i]]++] = dst[i];
    long head = 0, tail = 0;
    for (long i = 0; i < n; i++) if (!left[i]) { label[i] = 1; queue[tail++] = (int)i; }
    while (head < tail) {
        int a = queue[head++];
        for (int k = ptr[a]; k < ptr[a + 1]; k++) {
            int t = tgt[k];
            if (label[t]) continue;
            label[t] = 2;
            for (int j = ptr[t]; j < ptr[t + 1]; j++) {
                int u = tgt[j];
                if (!label[u] && --left[u] == 0) { label[u] = 1; queue[tail++] = u; }
            }
        }
    }
    fputs("w", stdout);
    for (long i = 0; i < n; i++) if (label[i] == 1) printf(" %ld", i + 1);
    fputs("\n", stdout);
    return 0;
}
