/*
 * notify_io.h - the I/O `mailtls notify` and `mailtls db` share: the HMAC
 * key file and the sendmail(1) spawner.
 *
 * mt_hmac_key_load() reads the 32-byte key from path. When the file does
 * not exist and create is true it makes one from /dev/urandom, written to a
 * temporary file (mode 0600) and linked into place, so that concurrent
 * first runs agree on one key; when run as root the new file is given to
 * the owner of its directory (the mailtls user that runs notify). Errors
 * are MT_ETEMP (try later) with the path in err.
 *
 * mt_sendmail_send() runs `sendmail_path -i -f <> -- RECIPIENT` with
 * posix_spawn (no shell), an environment of only PATH and, when given,
 * MAIL_CONFIG, the message on its standard input, and a timeout after
 * which the child is killed. *exit_status gets the exit status (or -1 when
 * it did not exit normally); out gets the first line of its output for the
 * log. MT_EIO when it cannot be started or timed out.
 */
#ifndef MT_NOTIFY_IO_H
#define MT_NOTIFY_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "config.h"
#include "util/hmac.h"
#include "util/status.h"

enum mt_status mt_hmac_key_load(const char *path, bool create, unsigned char key[MT_HMAC_KEY_LEN],
                                struct mt_error *err);

struct mt_sendmail {
    const char *path;        /* sendmail_path */
    const char *mail_config; /* MAIL_CONFIG to pass on, or NULL */
    int timeout;             /* seconds */
};

enum mt_status mt_sendmail_send(const struct mt_sendmail *sm, const char *recipient,
                                const char *msg, size_t len, int *exit_status, char *out,
                                size_t outsz, struct mt_error *err);

#endif
