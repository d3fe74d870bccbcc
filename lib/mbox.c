/*
 * mbox.c - the header blocks of an mbox or one-message stream (see mbox.h).
 *
 * The two searches that see every byte - "\nFrom " in bodies, and the line
 * starts that can end a header (an empty line, a From_ line) or carry a
 * Content-Length - compare 32 bytes at a time with SSE2 where the compiler
 * has it (every x86-64), and fall back to plain loops elsewhere.
 */
#include "mbox.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_SSE2 1
#endif

#include "util/span.h"

enum state {
    S_START,    /* nothing read yet */
    S_SEP,      /* at a From_ line: a new mbox message */
    S_FROMLINE, /* skipping the rest of a From_ line */
    S_HEADER,   /* in a header block */
    S_CL,       /* at a body start, checking its Content-Length */
    S_BODY,     /* skipping a body, looking for a From_ line */
    S_PENDING,  /* an error to report, then the end */
    S_DONE,
};

enum look { L_NO, L_YES, L_MORE };

#define NAME_MAX_BYTES 512 /* a field name plus white space before its colon */
#define CL_DIGITS_MAX  12

/* The bytes not yet consumed in this call, and how many were consumed. */
struct cur {
    const char *p;
    size_t n;
    size_t done;
};

/* Consumes k bytes, remembering the last one. */
static void
eat(struct mt_mbox *m, struct cur *c, size_t k)
{
    if (k == 0)
        return;
    m->last = (unsigned char)c->p[k - 1];
    c->p += k;
    c->n -= k;
    c->done += k;
    m->offset += k;
}

/* Is p (avail bytes, at a line start) a From_ line? Decides on at most POSTMARK_MAX bytes. */
static enum look
postmark(const char *p, size_t avail, bool eof)
{
    const char *nl;
    size_t n, i;

    if (avail < 5) {
        if (avail > 0 && memcmp(p, "From ", avail) != 0)
            return L_NO;
        return eof ? L_NO : L_MORE;
    }
    if (memcmp(p, "From ", 5) != 0)
        return L_NO;
    n = avail < MT_MBOX_POSTMARK_MAX ? avail : MT_MBOX_POSTMARK_MAX;
    nl = memchr(p, '\n', n);
    if (nl != NULL)
        n = (size_t)(nl - p);
    else if (avail < MT_MBOX_POSTMARK_MAX && !eof)
        return L_MORE;
    /* A postmark carries the ctime() date: look for a time "D:DD". */
    for (i = 5; i + 3 < n; i++)
        if (mt_is_digit((unsigned char)p[i]) && p[i + 1] == ':' &&
            mt_is_digit((unsigned char)p[i + 2]) && mt_is_digit((unsigned char)p[i + 3]))
            return L_YES;
    return L_NO;
}

/* Does p start with a header field name and its colon (RFC 5322 3.6.8 ftext)? */
static enum look
field_start(const char *p, size_t avail, bool eof)
{
    size_t i = 0;

    while (i < avail && i < NAME_MAX_BYTES && (unsigned char)p[i] > ' ' &&
           (unsigned char)p[i] < 0x7f && p[i] != ':')
        i++;
    if (i > 0)
        while (i < avail && i < NAME_MAX_BYTES && (p[i] == ' ' || p[i] == '\t'))
            i++;
    if (i == NAME_MAX_BYTES)
        return L_NO;
    if (i == avail)
        return eof ? L_NO : L_MORE;
    return i > 0 && p[i] == ':' ? L_YES : L_NO;
}

/* Notes a Content-Length field in the line p[0..len) (without its newline). */
static void
content_length(struct mt_mbox *m, const char *p, size_t len)
{
    static const char name[] = "content-length:";
    size_t i = sizeof(name) - 1, start;
    unsigned long v;

    if (!mt_span_istarts(mt_span(p, len), name))
        return;
    m->cl_seen++;
    m->cl = -1;
    if (m->cl_seen > 1)
        return; /* two of them: trust neither */
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    start = i;
    while (i < len && mt_is_digit((unsigned char)p[i]))
        i++;
    if (i - start > CL_DIGITS_MAX ||
        !mt_span_to_ulong(mt_span(p + start, i - start), 999999999999UL, &v))
        return;
    while (i < len && mt_is_space((unsigned char)p[i]))
        i++;
    if (i == len)
        m->cl = (int64_t)v;
}

/* Fills msg as an error about the current message. */
static void
set_error(struct mt_mbox *m, struct mt_mbox_msg *msg, enum mt_status st, const char *what)
{
    memset(msg, 0, sizeof(*msg));
    msg->index = m->index;
    msg->in_mbox = m->is_mbox;
    msg->offset = m->msg_off;
    mt_error_set(&msg->err, st, "%s", what);
}

/* Starts a stream. */
void
mt_mbox_init(struct mt_mbox *m, enum mt_mbox_mode mode)
{
    memset(m, 0, sizeof(*m));
    m->mode = mode;
    m->state = S_START;
    m->cl = -1;
    m->last = -1;
}

/* Begins a message whose header starts after the current position's line. */
static void
begin_message(struct mt_mbox *m)
{
    m->index++;
    m->msg_off = m->offset;
    m->pos = 0;
    m->cl = -1;
    m->cl_seen = 0;
    m->cl_short = false;
    m->pending.status = MT_OK;
}

/*
 * After a header problem: a one-message stream is done; in an mbox the rest
 * of the message is skipped, from offset at (before any From_ line not yet
 * looked at) to the next From_ line.
 */
static void
skip_message(struct mt_mbox *m, struct cur *c, size_t at)
{
    if (!m->is_mbox) {
        m->state = S_DONE;
        return;
    }
    eat(m, c, at);
    m->pos = 0;
    m->pending.status = MT_EPARSE; /* reported already: no truncation report */
    m->state = S_BODY;
}

/* At the end of the stream inside a body: the truncation checks. */
static enum mt_mbox_event
end_of_body(struct mt_mbox *m, struct cur *c, struct mt_mbox_msg *msg)
{
    bool reported = m->pending.status != MT_OK;

    eat(m, c, c->n);
    m->state = S_DONE;
    if (reported || !m->is_mbox)
        return MT_MBOX_END;
    if (m->cl_short) {
        set_error(m, msg, MT_EPARSE, "truncated: the stream ends before the body's Content-Length");
        return MT_MBOX_ERROR;
    }
    if (m->last != '\n' && m->last != -1) {
        set_error(m, msg, MT_EPARSE, "truncated: the last line has no newline");
        return MT_MBOX_ERROR;
    }
    return MT_MBOX_END;
}

/* True when line start byte c can end a header or carry Content-Length. */
static bool
line_mark(int c)
{
    return c == '\n' || c == '\r' || c == 'F' || c == 'C' || c == 'c';
}

/* Finds "\nFrom " in p[from..n); returns the offset of its '\n', or n. */
static size_t
find_sep(const char *p, size_t from, size_t n)
{
    size_t i = from;

#if HAVE_SSE2
    const __m128i nl = _mm_set1_epi8('\n'), ef = _mm_set1_epi8('F');

    /* Loads reach p[i + 32], the check p[i + 36]. */
    while (i + 37 <= n) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
        __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
        __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 17));
        unsigned mask = (unsigned)_mm_movemask_epi8(
                            _mm_and_si128(_mm_cmpeq_epi8(a0, nl), _mm_cmpeq_epi8(b0, ef))) |
                        (unsigned)_mm_movemask_epi8(
                            _mm_and_si128(_mm_cmpeq_epi8(a1, nl), _mm_cmpeq_epi8(b1, ef)))
                            << 16;
        while (mask != 0) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            if (memcmp(p + i + k + 1, "From ", 5) == 0)
                return i + k;
            mask &= mask - 1;
        }
        i += 32;
    }
#endif
    for (; i + 6 <= n; i++)
        if (p[i] == '\n' && p[i + 1] == 'F' && memcmp(p + i + 2, "rom ", 4) == 0)
            return i;
    return n;
}

/*
 * Finds a '\n' in p[from..n - 1) whose next byte is a line_mark(); returns
 * its offset, or n when there is none.
 */
static size_t
find_mark(const char *p, size_t from, size_t n)
{
    size_t i = from;

#if HAVE_SSE2
    const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const __m128i ef = _mm_set1_epi8('F'), ce = _mm_set1_epi8('c'), sp = _mm_set1_epi8(0x20);

    while (i + 17 <= n) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
        __m128i next = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(b, nl), _mm_cmpeq_epi8(b, cr)),
            _mm_or_si128(_mm_cmpeq_epi8(b, ef), _mm_cmpeq_epi8(_mm_or_si128(b, sp), ce)));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, nl), next));
        /* (b | 0x20) == 'c' holds for 'C' and 'c' only. */
        if (mask != 0)
            return i + (unsigned)__builtin_ctz(mask);
        i += 16;
    }
#endif
    for (; i + 1 < n; i++)
        if (p[i] == '\n' && line_mark((unsigned char)p[i + 1]))
            return i;
    return n;
}

/*
 * Notes the Content-Length of the line at ls if it has one. Returns false
 * when the line is not complete yet (more bytes needed).
 */
static bool
header_line_cl(struct mt_mbox *m, const char *p, size_t n, size_t ls, bool eof)
{
    const char *nl = memchr(p + ls, '\n', n - ls);
    size_t le;

    if (nl == NULL && !eof)
        return false;
    le = nl != NULL ? (size_t)(nl - p) : n;
    if (le > ls && p[le - 1] == '\r')
        le--;
    content_length(m, p + ls, le - ls);
    return true;
}

/*
 * The header state: finds the end of the header block. m->pos is where the
 * search for line marks goes on: every '\n' before it has been looked at.
 */
static enum mt_mbox_event
in_header(struct mt_mbox *m, struct cur *c, bool eof, struct mt_mbox_msg *msg)
{
    const char *p = c->p;
    size_t n = c->n, hdr_len, body, q = 0;
    bool by_from = false, at_eof = false;

    if (m->pos == 0) {
        enum look l = field_start(p, n, eof);
        if (l == L_MORE)
            return MT_MBOX_NEED;
        if (l == L_NO) {
            set_error(m, msg, MT_EPARSE,
                      n == 0 ? "not a mail message: no header"
                             : "not a mail message: it does not start with a header field");
            skip_message(m, c, 0);
            return MT_MBOX_ERROR;
        }
        /* The first line has no '\n' before it for find_mark(). */
        if (m->is_mbox && (p[0] == 'C' || p[0] == 'c') && !header_line_cl(m, p, n, 0, eof)) {
            if (n > MT_MBOX_HEADER_MAX)
                goto too_long;
            return MT_MBOX_NEED;
        }
        m->pos = 1; /* p[0] is a name byte, not a '\n' */
    }
    for (;;) {
        size_t ls;

        q = find_mark(p, m->pos, n);
        if (q == n) {
            /* No mark before the last byte: the header is at least n bytes. */
            if (n > MT_MBOX_HEADER_MAX) {
                q = n - 1;
                goto too_long;
            }
            if (!eof) {
                if (n > m->pos + 1)
                    m->pos = n - 1; /* a '\n' there is looked at with its next byte */
                return MT_MBOX_NEED;
            }
            hdr_len = body = n;
            at_eof = true;
            break;
        }
        ls = q + 1;
        if (ls > MT_MBOX_HEADER_MAX)
            goto too_long;
        if (p[ls] == '\n') {
            hdr_len = ls;
            body = ls + 1;
            break;
        }
        if (p[ls] == '\r') {
            if (ls + 1 == n && !eof) {
                m->pos = q;
                return MT_MBOX_NEED;
            }
            if (ls + 1 == n || p[ls + 1] == '\n') {
                hdr_len = ls;
                body = ls + 1 < n ? ls + 2 : n;
                break;
            }
        } else if (m->is_mbox && p[ls] == 'F') {
            enum look l = postmark(p + ls, n - ls, eof);
            if (l == L_MORE) {
                m->pos = q;
                return MT_MBOX_NEED;
            }
            if (l == L_YES) {
                hdr_len = body = ls;
                by_from = true;
                break;
            }
        } else if (m->is_mbox && (p[ls] == 'C' || p[ls] == 'c') &&
                   !header_line_cl(m, p, n, ls, eof)) {
            m->pos = q;
            if (n > MT_MBOX_HEADER_MAX)
                goto too_long;
            return MT_MBOX_NEED;
        }
        m->pos = ls;
    }
    if (hdr_len > MT_MBOX_HEADER_MAX)
        goto too_long;
    if (memchr(p, '\0', hdr_len) != NULL) {
        set_error(m, msg, MT_EPARSE, "not a mail message: NUL byte in the header");
        skip_message(m, c, body);
        return MT_MBOX_ERROR;
    }
    memset(msg, 0, sizeof(*msg));
    msg->index = m->index;
    msg->in_mbox = m->is_mbox;
    msg->offset = m->msg_off;
    msg->header = p;
    msg->header_len = hdr_len;
    if (!m->is_mbox) {
        m->state = S_DONE;
    } else if (at_eof) {
        eat(m, c, n);
        mt_error_set(&m->pending, MT_EPARSE, "truncated: the stream ends inside the header");
        m->state = S_PENDING;
    } else if (by_from) {
        eat(m, c, hdr_len);
        m->state = S_SEP;
    } else {
        eat(m, c, body);
        m->pos = 0;
        m->state = m->cl_seen == 1 && m->cl >= 0 && m->cl <= MT_MBOX_CL_MAX ? S_CL : S_BODY;
    }
    return MT_MBOX_MESSAGE;
too_long:
    /* Skip from a point before any From_ line not looked at yet. */
    set_error(m, msg, MT_ELIMIT, "header longer than 1 MiB (message skipped)");
    skip_message(m, c, q);
    return MT_MBOX_ERROR;
}

/* Checks whether the Content-Length of the current message ends it. */
static enum mt_mbox_event
at_content_length(struct mt_mbox *m, struct cur *c, bool eof)
{
    size_t t = (size_t)m->cl, n = c->n;

    if (!eof && n < t + 1 + MT_MBOX_POSTMARK_MAX)
        return MT_MBOX_NEED;
    m->state = S_BODY;
    m->pos = 0;
    if (t > n) {
        m->cl_short = true;
    } else if (t == n || (c->p[t] == '\n' && t + 1 == n)) {
        eat(m, c, n);
        m->state = S_DONE;
        return MT_MBOX_END;
    } else if (postmark(c->p + t, n - t, eof) == L_YES) {
        eat(m, c, t);
        m->state = S_SEP;
    } else if (c->p[t] == '\n' && postmark(c->p + t + 1, n - t - 1, eof) == L_YES) {
        eat(m, c, t + 1);
        m->state = S_SEP;
    }
    return MT_MBOX_NEED; /* not returned: the caller loops on */
}

/* The body state: skips to the next From_ line. */
static enum mt_mbox_event
in_body(struct mt_mbox *m, struct cur *c, bool eof, struct mt_mbox_msg *msg)
{
    size_t q;

    if (m->pos == 0 && m->last == '\n') {
        /* At a line start: a From_ line right here? */
        enum look l = postmark(c->p, c->n, eof);
        if (l == L_MORE)
            return MT_MBOX_NEED;
        if (l == L_YES) {
            m->state = S_SEP;
            return MT_MBOX_END; /* not returned: the caller loops on */
        }
    }
    for (;;) {
        q = find_sep(c->p, m->pos, c->n);
        if (q == c->n)
            break;
        switch (postmark(c->p + q + 1, c->n - q - 1, eof)) {
        case L_MORE:
            eat(m, c, q); /* keep the '\n' for the search */
            m->pos = 0;
            return MT_MBOX_NEED;
        case L_YES:
            eat(m, c, q + 1);
            m->state = S_SEP;
            return MT_MBOX_END; /* not returned */
        case L_NO:
            m->pos = q + 1;
            break;
        }
    }
    if (eof)
        return end_of_body(m, c, msg);
    /* Keep what could be the start of "\nFrom ". */
    q = c->n < 5 ? 0 : c->n - 5;
    eat(m, c, q);
    m->pos = 0;
    return MT_MBOX_NEED;
}

/* The next event. */
enum mt_mbox_event
mt_mbox_next(struct mt_mbox *m, const char *buf, size_t len, bool eof, size_t *consumed,
             struct mt_mbox_msg *msg)
{
    struct cur c = { buf, len, 0 };
    enum mt_mbox_event ev;
    enum look l;
    const char *nl;

    for (;;) {
        switch (m->state) {
        case S_START:
            if (c.n == 0 && eof) {
                m->state = S_DONE;
                continue;
            }
            l = m->mode == MT_MBOX_AUTO ? postmark(c.p, c.n, eof) : L_NO;
            if (l == L_MORE) {
                *consumed = c.done;
                return MT_MBOX_NEED;
            }
            if (l == L_YES) {
                m->is_mbox = true;
                m->state = S_SEP;
                continue;
            }
            /* One message; a leading "From " line is not part of its header. */
            if (c.n < 5 && !eof && memcmp(c.p, "From ", c.n) == 0) {
                *consumed = c.done;
                return MT_MBOX_NEED;
            }
            begin_message(m);
            m->state = c.n >= 5 && memcmp(c.p, "From ", 5) == 0 ? S_FROMLINE : S_HEADER;
            continue;
        case S_SEP:
            begin_message(m);
            m->state = S_FROMLINE;
            continue;
        case S_FROMLINE:
            nl = memchr(c.p, '\n', c.n);
            if (nl == NULL && !eof) {
                eat(m, &c, c.n);
                *consumed = c.done;
                return MT_MBOX_NEED;
            }
            eat(m, &c, nl != NULL ? (size_t)(nl - c.p) + 1 : c.n);
            m->state = S_HEADER;
            m->pos = 0;
            continue;
        case S_HEADER:
            ev = in_header(m, &c, eof, msg);
            *consumed = c.done;
            return ev;
        case S_CL:
            if (at_content_length(m, &c, eof) == MT_MBOX_END) {
                *consumed = c.done;
                return MT_MBOX_END;
            }
            if (m->state == S_CL) {
                *consumed = c.done;
                return MT_MBOX_NEED;
            }
            continue;
        case S_BODY:
            ev = in_body(m, &c, eof, msg);
            if (m->state == S_SEP)
                continue;
            *consumed = c.done;
            return ev;
        case S_PENDING:
            memset(msg, 0, sizeof(*msg));
            msg->index = m->index;
            msg->in_mbox = m->is_mbox;
            msg->offset = m->msg_off;
            msg->err = m->pending;
            m->state = S_DONE;
            *consumed = c.done;
            return MT_MBOX_ERROR;
        case S_DONE:
        default:
            *consumed = c.done;
            return MT_MBOX_END;
        }
    }
}
