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

/* Exported objects. sd-bus dispatches a method call through an object vtable built with its
 * SD_BUS_* macros, which Swift cannot expand: the vtables are built here, and every method of
 * one goes to a single handler with the Swift side's context (the box), which reads the member
 * name from the message. A handler that does not reply at once keeps a reference to the
 * message and replies later (sd_bus_message_new_method_return / sd_bus_send). */

/* The Swift side's handler of one exported object: 0 or more when it took the call, negative
 * errno to have sd-bus answer an error. */
typedef int (*csdbus_method_handler)(sd_bus_message *m, void *context);

/* The userdata of one exported object. */
typedef struct {
    csdbus_method_handler handler;
    void *context;
} csdbus_object_box;

static inline int csdbus_object_dispatch(sd_bus_message *m, void *userdata, sd_bus_error *error) {
    (void)error;
    const csdbus_object_box *box = userdata;
    return box->handler(m, box->context);
}

/* org.bluez.Agent1 (BlueZ's doc/org.bluez.Agent.rst): the methods and their signatures. */
static const sd_bus_vtable csdbus_agent1_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Release", "", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("RequestPinCode", "o", "s", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("DisplayPinCode", "os", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("RequestPasskey", "o", "u", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("DisplayPasskey", "ouq", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("RequestConfirmation", "ou", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("RequestAuthorization", "o", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("AuthorizeService", "os", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("Cancel", "", "", csdbus_object_dispatch, 0),
    SD_BUS_VTABLE_END
};

/* Exports org.bluez.Agent1 at `path`; `box` must outlive the slot. */
static inline int csdbus_add_agent1(sd_bus *bus, sd_bus_slot **slot, const char *path, csdbus_object_box *box) {
    return sd_bus_add_object_vtable(bus, slot, path, "org.bluez.Agent1", csdbus_agent1_vtable, box);
}

/* org.bluez.Profile1 (BlueZ's doc/org.bluez.Profile.rst): an external profile's methods. */
static const sd_bus_vtable csdbus_profile1_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Release", "", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("NewConnection", "oha{sv}", "", csdbus_object_dispatch, 0),
    SD_BUS_METHOD("RequestDisconnection", "o", "", csdbus_object_dispatch, 0),
    SD_BUS_VTABLE_END
};

/* Exports org.bluez.Profile1 at `path`; `box` must outlive the slot. */
static inline int csdbus_add_profile1(sd_bus *bus, sd_bus_slot **slot, const char *path, csdbus_object_box *box) {
    return sd_bus_add_object_vtable(bus, slot, path, "org.bluez.Profile1", csdbus_profile1_vtable, box);
}

/* Answers a method call with an error by name and message. */
static inline int csdbus_reply_error(sd_bus_message *call, const char *name, const char *message) {
    sd_bus_error e = SD_BUS_ERROR_NULL;
    /* Returns the errno the name maps to (negative) once the error is set: not a failure. */
    (void)sd_bus_error_set(&e, name, message);
    int r = sd_bus_reply_method_error(call, &e);
    sd_bus_error_free(&e);
    return r;
}
