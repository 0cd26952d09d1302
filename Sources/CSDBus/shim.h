#include <systemd/sd-bus.h>
#include <sys/eventfd.h>
#include <poll.h>

/* Typed wrappers for the few variadic sd-bus calls pocgate needs: Swift cannot call a C
 * variadic function, so each wrapper fixes the signature string and the argument types. */

/* Appends one string ("s"). */
static inline int csdbus_append_string(sd_bus_message *m, const char *value) {
    return sd_bus_message_append(m, "s", value);
}

/* Appends one object path ("o"). */
static inline int csdbus_append_object_path(sd_bus_message *m, const char *value) {
    return sd_bus_message_append(m, "o", value);
}

/* Appends one byte array ("ay") in a single call. */
static inline int csdbus_append_bytes(sd_bus_message *m, const void *bytes, size_t length) {
    return sd_bus_message_append_array(m, 'y', bytes, length);
}

/* Sets a D-Bus error by name and message (the variadic sd_bus_error_setf without formatting). */
static inline int csdbus_error_set(sd_bus_error *e, const char *name, const char *message) {
    return sd_bus_error_set(e, name, message);
}

/* The name of a method error carried by a reply, or NULL for a method return. */
static inline const char *csdbus_error_name(sd_bus_message *m) {
    const sd_bus_error *e = sd_bus_message_get_error(m);
    return e ? e->name : NULL;
}

/* The message of a method error carried by a reply, or NULL. */
static inline const char *csdbus_error_message(sd_bus_message *m) {
    const sd_bus_error *e = sd_bus_message_get_error(m);
    return e ? e->message : NULL;
}
