#ifndef POCGATE_CTIMEX_SHIM_H
#define POCGATE_CTIMEX_SHIM_H
// The kernel's clock discipline state (adjtimex), which Swift's Glibc module does not import.
#include <sys/timex.h>

/// 1 when the kernel says the clock is synchronised, 0 when it is not, -1 when it cannot be asked.
static inline int pg_clock_synchronised(void) {
    struct timex tx = {0};
    int state = ntp_adjtime(&tx);
    if (state < 0) return -1;
    return (state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0) ? 1 : 0;
}
#endif
