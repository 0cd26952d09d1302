#ifndef POCGATE_CYAML_SHIM_H
#define POCGATE_CYAML_SHIM_H
#include <yaml.h>
#endif
