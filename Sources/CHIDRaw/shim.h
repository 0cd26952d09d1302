#ifndef POCGATE_CHIDRAW_SHIM_H
#define POCGATE_CHIDRAW_SHIM_H
// The hidraw feature-report ioctls. ioctl() is variadic and HIDIOC*FEATURE(len) are
// function-like macros, neither of which Swift imports: typed wrappers. Header only.
#include <linux/hidraw.h>
#include <sys/ioctl.h>

/// HIDIOCSFEATURE: sends `length` bytes (byte 0 the report id) as a feature report.
/// Returns the byte count the kernel took, or -1 with errno set.
static inline int pg_hidraw_set_feature(int fd, unsigned char *report, unsigned int length) {
    return ioctl(fd, HIDIOCSFEATURE(length), report);
}

/// HIDIOCGFEATURE: `report[0]` names the report id on entry; on return the buffer holds the
/// report (byte 0 the id). Returns the byte count, or -1 with errno set.
static inline int pg_hidraw_get_feature(int fd, unsigned char *report, unsigned int length) {
    return ioctl(fd, HIDIOCGFEATURE(length), report);
}
#endif
