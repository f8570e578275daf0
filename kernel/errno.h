/* SPDX-License-Identifier: MIT */
/*
 * Error numbers, with Linux's values so that a printed -errno means what a kernel developer
 * expects. Functions return 0 or a negative one of these. Guarded with #ifndef because the
 * host tests compile kernel code next to glibc's <errno.h>, which has the same values.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#ifndef EPERM
#define EPERM		1	/* not allowed (e.g. offlining the x86_64 boot CPU) */
#endif
#ifndef ENOENT
#define ENOENT		2	/* not found (a device without the structures looked for) */
#endif
#ifndef EIO
#define EIO		5	/* firmware or hardware said no */
#define EAGAIN		11	/* not now: try again (a request that could not be queued) */
#endif
#ifndef ENXIO
#define ENXIO		6	/* no such CPU, or it is offline */
#endif
#ifndef ENOMEM
#define ENOMEM		12
#endif
#ifndef EBUSY
#define EBUSY		16	/* in use (a csd still in flight, an isolated block...) */
#endif
#ifndef ENODEV
#define ENODEV		19	/* not present */
#endif
#ifndef EINVAL
#define EINVAL		22
#define ENOSPC		28	/* a fixed-size table is full */
#endif
#ifndef ERANGE
#define ERANGE		34	/* a value does not fit (an APIC id in an MSI message) */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	95
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT	110
#endif
#ifndef EALREADY
#define EALREADY	114	/* already in the requested state */
#endif

#endif /* KERNEL_ERRNO_H */
