/* SPDX-License-Identifier: GPL-3.0-or-later */
/* socind/export.h — symbol visibility. Only declarations marked SOCIND_API
 * are exported from the shared library (built with -fvisibility=hidden). */
#ifndef SOCIND_EXPORT_H
#define SOCIND_EXPORT_H

#if defined(SOCIND_STATIC)
#define SOCIND_API
#elif defined(_WIN32)
#if defined(SOCIND_BUILDING)
#define SOCIND_API __declspec(dllexport)
#else
#define SOCIND_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define SOCIND_API __attribute__((visibility("default")))
#else
#define SOCIND_API
#endif

#endif /* SOCIND_EXPORT_H */
