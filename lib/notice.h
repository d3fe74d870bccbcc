/*
 * notice.h - the text of a notice: template expansion and the message.
 *
 * Templates are UTF-8 text with ${name} placeholders (letters, digits and
 * '_'); "$$" is a literal '$', and a '$' not followed by '{' is itself.
 * mt_template_expand() replaces each placeholder by the value of the
 * variable of that name; an unknown name or an unterminated "${" is
 * MT_EPARSE with the line and column in err (so that a typo in an admin's
 * template is caught, and the program falls back to the built-in text).
 * Values are inserted as given except that control bytes other than LF and
 * TAB become '?': values such as a HELO name come from the network.
 *
 * mt_notice_format() writes the whole RFC 5322 message (header, empty
 * line, body) that sendmail(1) gets on its standard input:
 *   From, To, Subject (the constant MT_NOTICE_SUBJECT unless the caller
 *   gives another constant), Date (RFC 5322 section 3.3, UTC), Message-ID,
 *   Auto-Submitted: auto-replied (RFC 3834), MIME-Version: 1.0,
 *   Content-Type: text/plain; charset=utf-8 and Content-Transfer-Encoding.
 * From and To must pass mt_address_check(); the Message-ID must be
 * "<left@right>" with atext and dots only; anything else is MT_EPARSE and
 * nothing is written. The body's lines are wrapped at word boundaries to
 * MT_NOTICE_WRAP columns, keeping the indentation of the line they came
 * from. When every line then fits in 78 bytes the body goes as 7bit
 * (ASCII) or 8bit (UTF-8); a word longer than that (a long URL) makes the
 * whole body quoted-printable (RFC 2045 section 6.7), whose lines never
 * exceed 76; so does a control byte other than TAB (a bare CR, found by
 * fuzzing, would otherwise break a line where no LF is). Lines end in LF (sendmail -i converts).
 * Invalid UTF-8 in the body is MT_EPARSE.
 *
 * mt_notice_date() formats a time as an RFC 5322 date ("Tue, 01 Jul 2025
 * 12:00:00 +0000").
 *
 * The built-in templates (one per trigger: plaintext, insecure,
 * deprecated, legacy; and "downgrade" for the admin report) are the files
 * of data/templates compiled in: mt_notice_builtin() returns one by name.
 *
 * Buffers are the caller's: MT_ELIMIT when the output does not fit.
 * Pure: no I/O, no clock.
 */
#ifndef MT_NOTICE_H
#define MT_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define MT_NOTICE_SUBJECT    "TLS security of mail from your domain"
#define MT_DOWNGRADE_SUBJECT "mailtls: TLS downgrade seen"
#define MT_NOTICE_WRAP       72
#define MT_NOTICE_MAX        (64 * 1024)
#define MT_TEMPLATE_MAX      (32 * 1024)

struct mt_template_var {
    const char *name;
    const char *value; /* NULL reads as "" */
};

/*
 * Expands tpl[0..len) into dst (size dstsz, NUL-terminated); *outlen gets
 * the length. err gets the line and column of a bad placeholder.
 */
enum mt_status mt_template_expand(const char *tpl, size_t len, const struct mt_template_var *vars,
                                  size_t nvars, char *dst, size_t dstsz, size_t *outlen,
                                  struct mt_error *err);

struct mt_notice {
    const char *from;       /* envelope-free From: address */
    const char *to;         /* one recipient */
    const char *subject;    /* NULL: MT_NOTICE_SUBJECT */
    int64_t date;           /* seconds since the epoch */
    const char *message_id; /* "<token@host>" */
    const char *body;       /* expanded text, UTF-8 */
    size_t body_len;
};

/* Writes the message into dst (size dstsz, NUL-terminated); *outlen gets the length. */
enum mt_status mt_notice_format(const struct mt_notice *n, char *dst, size_t dstsz, size_t *outlen,
                                struct mt_error *err);

/* Writes an RFC 5322 date in UTC into dst (at least 32 bytes). */
void mt_notice_date(int64_t t, char *dst, size_t dstsz);

/* The built-in template called name ("plaintext", ...), or NULL. */
const char *mt_notice_builtin(const char *name);

#endif
