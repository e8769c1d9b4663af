/*
 * spandsp_dtmf_rx: the spandsp peer of the dtmf module's comparisons.
 *
 * Decodes raw signed 16-bit little-endian 8000 Hz mono PCM with spandsp's
 * dtmf_rx (Debian libspandsp-dev, spandsp 0.0.6), fed in 160-sample (20 ms)
 * frames as a media server would, with spandsp's default thresholds unless
 * flags say otherwise. One NDJSON line per key press, printed at key-up, in
 * the shape of the module's event contract plus one extra field:
 *
 *   {"event":"dtmf","session_uuid":"peer","digit":"5","duration_ms":102,
 *    "offset_ms":1925,"level_dbm0":-12}
 *
 * Timing. spandsp runs its Goertzel filters on 102-sample blocks and calls
 * the realtime callback at the end of the block that confirms a transition;
 * its `delay` argument counts samples since the previous transition, so the
 * running sum of `delay` is the sample index at which each transition was
 * confirmed. offset_ms is that index at key-down (it lags the true onset by
 * about two blocks) and duration_ms is key-up minus key-down; both are whole
 * blocks (12.75 ms). level_dbm0 is the level spandsp reported at key-down.
 *
 * At end of input, 480 samples of silence (more than the three blocks
 * spandsp needs to confirm a release) close a key still held; silence cannot
 * create a key-down.
 *
 * Modes:
 *   spandsp_dtmf_rx [flags] FILE.raw|-     decode
 *   spandsp_dtmf_rx --bench N FILE.raw     time N in-memory passes, print JSON
 *   spandsp_dtmf_rx --sizeof               bytes of one dtmf_rx_state_t
 */
#define _POSIX_C_SOURCE 200809L
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    RATE = 8000,
    FRAME = 160,          /* samples per dtmf_rx() call: 20 ms */
    TAIL = 480,           /* silence appended at end of input */
};

struct press_state {
    int64_t confirmed;    /* sample index of the last reported transition */
    int digit;            /* key held now, 0 if none */
    int64_t down_at;      /* sample index of its key-down */
    int down_level;       /* dBm0 reported at its key-down */
    const char *session;
    int quiet;            /* count only (bench) */
    uint64_t presses;
};

static long to_ms(int64_t n)
{
    return (long) ((n * 1000 + RATE / 2) / RATE);
}

static void key_up(struct press_state *p)
{
    p->presses++;
    if (p->quiet)
        return;
    printf("{\"event\":\"dtmf\",\"session_uuid\":\"%s\",\"digit\":\"%c\","
           "\"duration_ms\":%ld,\"offset_ms\":%ld,\"level_dbm0\":%d}\n",
           p->session, p->digit, to_ms(p->confirmed - p->down_at), to_ms(p->down_at),
           p->down_level);
}

/* tone_report_func_t: code is the ASCII key or 0 at release; level [dBm0];
   delay = samples since the previous reported transition. */
static void on_transition(void *user, int code, int level, int delay)
{
    struct press_state *p = user;

    p->confirmed += delay;
    if (p->digit)
        key_up(p); /* release, or a direct change to another key */
    p->digit = code;
    if (code) {
        p->down_at = p->confirmed;
        p->down_level = level;
    }
}

struct options {
    int twist, reverse_twist, threshold, dialtone_filter;
    int bench_passes;
    const char *session;
    const char *path;
};

static void init_rx(dtmf_rx_state_t *rx, struct press_state *p, const struct options *o)
{
    dtmf_rx_init(rx, NULL, NULL);
    /* dtmf_rx_parms leaves a parameter unchanged when it is negative (the
       threshold when it is <= -99), so the defaults pass through. */
    dtmf_rx_parms(rx, o->dialtone_filter, o->twist, o->reverse_twist, o->threshold);
    dtmf_rx_set_realtime_callback(rx, on_transition, p);
}

static int16_t *slurp(const char *path, size_t *n)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 1u << 22, len = 0, got;
    char *buf;

    if (f == NULL) {
        fprintf(stderr, "spandsp_dtmf_rx: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    if (buf == NULL) {
        fprintf(stderr, "spandsp_dtmf_rx: out of memory reading %s\n", path);
        exit(2);
    }
    if (ferror(f)) {
        fprintf(stderr, "spandsp_dtmf_rx: %s: read error\n", path);
        exit(2);
    }
    if (f != stdin)
        fclose(f);
    if (len % 2)
        fprintf(stderr, "spandsp_dtmf_rx: %s: odd byte count, last byte ignored\n", path);
    *n = len / 2;
    return (int16_t *) buf; /* x86-64 and arm64 are little-endian */
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static int run_bench(const struct options *o)
{
    static dtmf_rx_state_t rx;
    struct press_state p;
    size_t n, i;
    int16_t *pcm = slurp(o->path, &n);
    double total = 0, best = 0;
    int pass;

    if (n == 0) {
        fprintf(stderr, "spandsp_dtmf_rx: %s: no samples\n", o->path);
        return 2;
    }
    for (pass = 0; pass < o->bench_passes; pass++) {
        double t0, dt;
        memset(&p, 0, sizeof p);
        p.quiet = 1;
        init_rx(&rx, &p, o);
        t0 = seconds();
        for (i = 0; i < n; i += FRAME)
            dtmf_rx(&rx, pcm + i, (int) (n - i < FRAME ? n - i : FRAME));
        dt = seconds() - t0;
        total += dt;
        if (pass == 0 || dt < best)
            best = dt;
    }
    printf("{\"decoder\":\"spandsp-0.0.6\",\"passes\":%d,\"frame\":%d,\"samples\":%zu,"
           "\"ns_per_sample\":%.3f,\"best_ns_per_sample\":%.3f,\"presses_per_pass\":%" PRIu64
           ",\"state_bytes\":%zu}\n",
           o->bench_passes, FRAME, n, total * 1e9 / ((double) n * o->bench_passes),
           best * 1e9 / (double) n, p.presses, sizeof(dtmf_rx_state_t));
    free(pcm);
    return 0;
}

static int run_decode(const struct options *o)
{
    static dtmf_rx_state_t rx;
    static int16_t frame[TAIL > FRAME ? TAIL : FRAME];
    struct press_state p;
    FILE *f = strcmp(o->path, "-") == 0 ? stdin : fopen(o->path, "rb");
    size_t got;

    if (f == NULL) {
        fprintf(stderr, "spandsp_dtmf_rx: %s: %s\n", o->path, strerror(errno));
        return 2;
    }
    memset(&p, 0, sizeof p);
    p.session = o->session;
    init_rx(&rx, &p, o);
    /* fread fills the whole frame unless at end of input or on error, also
       from a pipe. */
    while ((got = fread(frame, sizeof frame[0], FRAME, f)) > 0)
        dtmf_rx(&rx, frame, (int) got);
    if (ferror(f)) {
        fprintf(stderr, "spandsp_dtmf_rx: %s: read error\n", o->path);
        return 2;
    }
    if (f != stdin)
        fclose(f);
    memset(frame, 0, sizeof frame);
    dtmf_rx(&rx, frame, TAIL);
    return fflush(stdout) == 0 ? 0 : 2;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: spandsp_dtmf_rx [flags] FILE.raw|-   (raw s16le, 8000 Hz, mono)\n"
            "       spandsp_dtmf_rx --bench N FILE.raw\n"
            "       spandsp_dtmf_rx --sizeof\n"
            "flags (spandsp's defaults otherwise):\n"
            "  --twist DB          largest normal twist (default 8)\n"
            "  --reverse-twist DB  largest reverse twist (default 4)\n"
            "  --threshold DBM0    lowest tone level (default -42)\n"
            "  --dialtone-filter   notch 350/440 Hz dial tone (default off)\n"
            "  --session NAME      session_uuid printed (default peer)\n");
}

static int int_arg(int argc, char **argv, int *i)
{
    char *end;
    long v;

    if (*i + 1 >= argc) {
        fprintf(stderr, "spandsp_dtmf_rx: %s needs a value\n", argv[*i]);
        exit(2);
    }
    v = strtol(argv[++*i], &end, 10);
    if (*end != '\0' || end == argv[*i] || v < -1000 || v > 1000000000) {
        fprintf(stderr, "spandsp_dtmf_rx: %s %s: want an integer\n", argv[*i - 1], argv[*i]);
        exit(2);
    }
    return (int) v;
}

int main(int argc, char **argv)
{
    struct options o = {-1, -1, -100, -1, 0, "peer", NULL};
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--sizeof") == 0) {
            printf("%zu\n", sizeof(dtmf_rx_state_t));
            return 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--bench") == 0) {
            o.bench_passes = int_arg(argc, argv, &i);
            if (o.bench_passes < 1) {
                fprintf(stderr, "spandsp_dtmf_rx: --bench %d: want at least 1 pass\n", o.bench_passes);
                return 2;
            }
        } else if (strcmp(a, "--twist") == 0) {
            o.twist = int_arg(argc, argv, &i);
        } else if (strcmp(a, "--reverse-twist") == 0) {
            o.reverse_twist = int_arg(argc, argv, &i);
        } else if (strcmp(a, "--threshold") == 0) {
            o.threshold = int_arg(argc, argv, &i);
        } else if (strcmp(a, "--dialtone-filter") == 0) {
            o.dialtone_filter = 1;
        } else if (strcmp(a, "--session") == 0 && i + 1 < argc) {
            o.session = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "spandsp_dtmf_rx: unknown flag %s\n", a);
            usage(stderr);
            return 2;
        } else if (o.path == NULL) {
            o.path = a;
        } else {
            fprintf(stderr, "spandsp_dtmf_rx: one input only (got %s and %s)\n", o.path, a);
            return 2;
        }
    }
    if (o.path == NULL) {
        usage(stderr);
        return 2;
    }
    if (o.bench_passes > 0)
        return run_bench(&o);
    return run_decode(&o);
}
