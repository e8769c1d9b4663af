/*
 * spandsp_rx: the DTMF receiver of spandsp 0.0.6 (dtmf_rx, default
 * thresholds) over raw 16-bit signed little-endian 8 kHz mono PCM on stdin,
 * fed in 160-sample frames and followed by 60 ms of silence so that a key
 * still down at the end is reported. One line per digit on stdout:
 *
 *   DIGIT SAMPLES
 *
 * where SAMPLES is the number of samples fed when spandsp reported it.
 * Built and run by github.com/dtmfkit/dtmf/internal/peers for tests.
 */
#include <spandsp.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FRAME 160
#define FLUSH 480

static long long fed;

static void on_digits(void *user, const char *digits, int len)
{
    (void) user;
    for (int i = 0; i < len; i++)
        printf("%c %lld\n", digits[i], fed);
}

int main(void)
{
    int16_t buf[FLUSH];
    dtmf_rx_state_t *s = dtmf_rx_init(NULL, on_digits, NULL);
    if (!s) {
        fprintf(stderr, "spandsp_rx: dtmf_rx_init failed\n");
        return 2;
    }
    for (;;) {
        size_t n = fread(buf, sizeof buf[0], FRAME, stdin);
        if (n == 0)
            break;
        fed += (long long) n;
        dtmf_rx(s, buf, (int) n);
        if (n < FRAME)
            break;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "spandsp_rx: read error\n");
        return 2;
    }
    memset(buf, 0, sizeof buf);
    fed += FLUSH;
    dtmf_rx(s, buf, FLUSH);
    dtmf_rx_free(s);
    return fflush(stdout) == 0 ? 0 : 2;
}
