/* Printing helpers shared by the C test programs: results are shown as
 * errno names plus wasi-libc's message (both come from the program's own
 * libc, so any correct host yields the same text). */
#ifndef REPORT_H
#define REPORT_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *errno_name(int e) {
    switch (e) {
#define NAME(x) case x: return #x;
        NAME(E2BIG) NAME(EACCES) NAME(EADDRINUSE) NAME(EADDRNOTAVAIL) NAME(EAFNOSUPPORT)
        NAME(EAGAIN) NAME(EALREADY) NAME(EBADF) NAME(EBADMSG) NAME(EBUSY) NAME(ECANCELED)
        NAME(ECHILD) NAME(ECONNABORTED) NAME(ECONNREFUSED) NAME(ECONNRESET) NAME(EDEADLK)
        NAME(EDESTADDRREQ) NAME(EDOM) NAME(EDQUOT) NAME(EEXIST) NAME(EFAULT) NAME(EFBIG)
        NAME(EHOSTUNREACH) NAME(EIDRM) NAME(EILSEQ) NAME(EINPROGRESS) NAME(EINTR) NAME(EINVAL)
        NAME(EIO) NAME(EISCONN) NAME(EISDIR) NAME(ELOOP) NAME(EMFILE) NAME(EMLINK)
        NAME(EMSGSIZE) NAME(EMULTIHOP) NAME(ENAMETOOLONG) NAME(ENETDOWN) NAME(ENETRESET)
        NAME(ENETUNREACH) NAME(ENFILE) NAME(ENOBUFS) NAME(ENODEV) NAME(ENOENT) NAME(ENOEXEC)
        NAME(ENOLCK) NAME(ENOLINK) NAME(ENOMEM) NAME(ENOMSG) NAME(ENOPROTOOPT) NAME(ENOSPC)
        NAME(ENOSYS) NAME(ENOTCONN) NAME(ENOTDIR) NAME(ENOTEMPTY) NAME(ENOTRECOVERABLE)
        NAME(ENOTSOCK) NAME(ENOTSUP) NAME(ENOTTY) NAME(ENXIO) NAME(EOVERFLOW) NAME(EOWNERDEAD)
        NAME(EPERM) NAME(EPIPE) NAME(EPROTO) NAME(EPROTONOSUPPORT) NAME(EPROTOTYPE) NAME(ERANGE)
        NAME(EROFS) NAME(ESPIPE) NAME(ESRCH) NAME(ESTALE) NAME(ETIMEDOUT) NAME(ETXTBSY)
        NAME(EXDEV) NAME(ENOTCAPABLE)
#undef NAME
    case 0: return "0";
    default: return "unknown";
    }
}

/* Prints "label: ok" when `failed` is false, else "label: ENAME (message)". */
static inline void report(const char *label, int failed) {
    if (failed)
        printf("%s: %s (%s)\n", label, errno_name(errno), strerror(errno));
    else
        printf("%s: ok\n", label);
}

/* Runs `expr` with errno cleared and reports whether it returned -1. */
#define CHECK(label, expr) do { errno = 0; report(label, (expr) == -1); } while (0)

/* FNV-1a, to print a short fingerprint of large data. */
static inline unsigned long long fnv1a(const unsigned char *bytes, size_t len) {
    unsigned long long hash = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
    return hash;
}

#endif
