/* header.c - the fields of an RFC 5322 header block (see header.h). */
#include "header.h"

#include <string.h>

/* Start of the next line after pos (len when there is none); *eol gets the line's end. */
static size_t
line_end(const char *buf, size_t len, size_t pos, size_t *eol)
{
    const char *nl = memchr(buf + pos, '\n', len - pos);
    size_t e;

    if (nl == NULL) {
        *eol = len;
        return len;
    }
    e = (size_t)(nl - buf);
    *eol = (e > pos && buf[e - 1] == '\r') ? e - 1 : e;
    return e + 1;
}

/* True for a byte of a field name (RFC 5322 ftext: printable ASCII but ':'). */
static bool
ftext(unsigned char c)
{
    return c >= 33 && c <= 126 && c != ':';
}

/* Starts iterating. */
void
mt_header_iter_init(struct mt_header_iter *it, const char *buf, size_t len)
{
    it->buf = buf;
    it->len = buf == NULL ? 0 : len;
    it->off = 0;
    it->done = false;
    it->line = 1;
}

/* Reads the next field. */
enum mt_status
mt_header_next(struct mt_header_iter *it, struct mt_field *f, struct mt_error *err)
{
    const char *b = it->buf;
    size_t start = it->off, eol, nextl, name_end, colon, end, lines = 1;

    memset(f, 0, sizeof(*f));
    if (it->done || start >= it->len) {
        it->done = true;
        return MT_NOTFOUND;
    }
    nextl = line_end(b, it->len, start, &eol);
    if (eol == start) { /* the empty line ends the header block */
        it->off = nextl;
        it->done = true;
        return MT_NOTFOUND;
    }
    f->offset = start;
    f->line = it->line;
    /* name, optional white space (obs-optional), colon */
    for (name_end = start; name_end < eol && ftext((unsigned char)b[name_end]); name_end++)
        ;
    colon = name_end;
    while (colon < eol && (b[colon] == ' ' || b[colon] == '\t'))
        colon++;
    if (name_end == start || colon >= eol || b[colon] != ':') {
        it->off = nextl;
        it->line++;
        mt_error_set(err, MT_EPARSE, "line %zu is not a header field", f->line);
        mt_error_at(err, NULL, f->line, 1);
        return MT_EPARSE;
    }
    f->name = mt_span(b + start, name_end - start);
    /* continuation lines start with SP or HT */
    end = eol;
    while (nextl < it->len && (b[nextl] == ' ' || b[nextl] == '\t')) {
        nextl = line_end(b, it->len, nextl, &end);
        lines++;
    }
    it->off = nextl;
    it->line += lines;
    if (end - start > MT_HEADER_FIELD_MAX) {
        mt_error_set(err, MT_ELIMIT, "header field at line %zu is longer than %d bytes", f->line,
                     MT_HEADER_FIELD_MAX);
        mt_error_at(err, NULL, f->line, 1);
        return MT_ELIMIT;
    }
    f->value = mt_span(b + colon + 1, end - colon - 1);
    return MT_OK;
}

/* Length of the header block including its empty line. */
size_t
mt_header_block_len(const char *buf, size_t len, bool *complete)
{
    size_t pos = 0, eol, nextl;

    *complete = false;
    if (buf == NULL)
        return 0;
    while (pos < len) {
        nextl = line_end(buf, len, pos, &eol);
        if (eol == pos) {
            *complete = nextl > pos; /* a final line without LF is not a separator */
            if (*complete)
                return nextl;
        }
        pos = nextl;
    }
    return len;
}

/* Field name comparison. */
bool
mt_field_is(const struct mt_field *f, const char *name)
{
    return mt_span_ieq(f->name, name);
}
