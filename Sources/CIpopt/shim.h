// IPOPT's C interface (Debian `coinor-libipopt-dev`, pkg-config `ipopt`), with wrappers for
// the option setters, whose `char *` parameters Swift would otherwise see as mutable.
#ifndef REWIND_CIPOPT_SHIM_H
#define REWIND_CIPOPT_SHIM_H

#include <coin/IpStdCInterface.h>

/// AddIpoptStrOption with const strings (IPOPT copies them).
static inline int rewind_ipopt_add_string_option(IpoptProblem problem, const char *keyword, const char *value) {
    return AddIpoptStrOption(problem, (char *)keyword, (char *)value);
}

/// AddIpoptNumOption with a const keyword.
static inline int rewind_ipopt_add_number_option(IpoptProblem problem, const char *keyword, double value) {
    return AddIpoptNumOption(problem, (char *)keyword, value);
}

/// AddIpoptIntOption with a const keyword.
static inline int rewind_ipopt_add_integer_option(IpoptProblem problem, const char *keyword, int value) {
    return AddIpoptIntOption(problem, (char *)keyword, value);
}

#endif
