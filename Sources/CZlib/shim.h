#ifndef POCGATE_CZLIB_SHIM_H
#define POCGATE_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2 and inflateInit2 are macros Swift does not import. windowBits 15 + 16 = 31
   selects the gzip wrapper (RFC 1952) instead of zlib's own. */
static inline int pg_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
}
static inline int pg_inflate_init_gzip(z_streamp strm) { return inflateInit2(strm, 31); }
#endif
