#ifndef POCGATE_CCURL_SHIM_H
#define POCGATE_CCURL_SHIM_H
#include <curl/curl.h>

/* Swift cannot call the variadic curl_easy_setopt/getinfo: one typed wrapper per argument kind. */
static inline CURLcode pg_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode pg_curl_set_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode pg_curl_set_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode pg_curl_set_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode pg_curl_set_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*pg_curl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode pg_curl_set_write_cb(CURL *h, CURLoption o, pg_curl_write_cb cb) { return curl_easy_setopt(h, o, cb); }
/* Progress callback: return non-zero to abort the transfer (CURLE_ABORTED_BY_CALLBACK). */
typedef int (*pg_curl_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode pg_curl_set_xferinfo_cb(CURL *h, pg_curl_xferinfo_cb cb) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
static inline CURLcode pg_curl_get_long(CURL *h, CURLINFO i, long *out) { return curl_easy_getinfo(h, i, out); }
static inline CURLcode pg_curl_get_str(CURL *h, CURLINFO i, char **out) { return curl_easy_getinfo(h, i, out); }

/* Macros Swift does not import. */
static inline CURLcode pg_curl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
static inline long pg_curl_error_size(void) { return CURL_ERROR_SIZE; }
static inline long pg_curl_sslversion_tls12(void) { return CURL_SSLVERSION_TLSv1_2; }
#endif
