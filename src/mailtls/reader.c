/* reader.c - messages from files, mboxes, Maildirs and stdin (see reader.h). */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "mbox.h"
#include "walk.h"

#define READ_BLOCK (1024 * 1024) /* one read; small enough to stay in cache for the search */

struct mt_reader {
    struct mt_walk walk;
    size_t next; /* the next entry of walk to open */
    bool open;   /* in is open */
    struct mt_input in;
    struct mt_mbox mbox;
    char *buf; /* MT_MBOX_WINDOW + READ_BLOCK bytes */
    size_t cap, start, end;
    bool eof;
    size_t drop;         /* bytes to drop before going on (the last message) */
    uint64_t done_files; /* bytes of the files finished */
    const char *source;
};

/* Makes the reader and expands the paths. */
struct mt_reader *
mt_reader_new(char *const *paths, size_t n)
{
    struct mt_reader *r = calloc(1, sizeof(*r));
    size_t i;

    if (r == NULL)
        return NULL;
    r->cap = MT_MBOX_WINDOW + READ_BLOCK;
    r->buf = malloc(r->cap);
    if (r->buf == NULL)
        goto fail;
    if (n == 0 && mt_walk_add(&r->walk, "-") != MT_OK)
        goto fail;
    for (i = 0; i < n; i++)
        if (mt_walk_add(&r->walk, paths[i]) != MT_OK)
            goto fail;
    return r;
fail:
    mt_reader_free(r);
    return NULL;
}

/* Fills it as a problem with the current file. */
static void
problem(struct mt_reader_item *it, const char *source, enum mt_status st)
{
    it->status = st;
    it->source = source;
    it->header = NULL;
    it->header_len = 0;
    it->err.status = st;
    it->err.file = source;
}

/* Closes the current file. */
static void
close_file(struct mt_reader *r)
{
    if (!r->open)
        return;
    r->done_files += r->in.size != 0 ? r->in.size : mt_input_offset(&r->in);
    mt_input_close(&r->in);
    r->open = false;
}

/* Opens the next entry; false with *it filled when that is a problem to report. */
static bool
open_next(struct mt_reader *r, struct mt_reader_item *it)
{
    struct mt_walk_entry *e = &r->walk.v[r->next++];

    memset(it, 0, sizeof(*it));
    it->index = 0;
    if (e->errnum != 0) {
        mt_error_set(&it->err, MT_NOTFOUND, "%s: %s",
                     e->dir ? "cannot list the directory" : "cannot open", strerror(e->errnum));
        problem(it, e->path, MT_NOTFOUND);
        return false;
    }
    if (mt_input_open(&r->in, e->path, &it->err) != MT_OK) {
        problem(it, e->path, it->err.status);
        return false;
    }
    r->open = true;
    r->source = e->path;
    r->start = r->end = r->drop = 0;
    r->eof = false;
    mt_mbox_init(&r->mbox, e->single ? MT_MBOX_SINGLE : MT_MBOX_AUTO);
    return true;
}

/* Reads the next block after the unconsumed bytes. */
static enum mt_status
fill(struct mt_reader *r, struct mt_error *err)
{
    size_t got, want;
    enum mt_status st;

    if (r->start == r->end) {
        r->start = r->end = 0;
    } else if (r->cap - r->end < READ_BLOCK) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    want = r->cap - r->end < READ_BLOCK ? r->cap - r->end : READ_BLOCK;
    st = mt_input_read(&r->in, r->buf + r->end, want, &got, err);
    if (st != MT_OK)
        return st;
    r->end += got;
    if (got == 0)
        r->eof = true;
    return MT_OK;
}

/* The next message or problem. */
enum mt_status
mt_reader_next(struct mt_reader *r, struct mt_reader_item *it)
{
    struct mt_mbox_msg msg;
    size_t consumed;

    for (;;) {
        enum mt_mbox_event ev;

        if (!r->open) {
            if (r->next == r->walk.n)
                return MT_NOTFOUND;
            if (!open_next(r, it))
                return MT_OK;
        }
        r->start += r->drop;
        r->drop = 0;
        ev = mt_mbox_next(&r->mbox, r->buf + r->start, r->end - r->start, r->eof, &consumed, &msg);
        switch (ev) {
        case MT_MBOX_NEED:
            r->start += consumed;
            memset(it, 0, sizeof(*it));
            if (fill(r, &it->err) != MT_OK) {
                problem(it, r->source, it->err.status);
                close_file(r);
                return MT_OK;
            }
            break;
        case MT_MBOX_MESSAGE:
            r->drop = consumed;
            memset(it, 0, sizeof(*it));
            it->status = MT_OK;
            it->source = r->source;
            it->index = msg.in_mbox ? msg.index : 0;
            it->header = msg.header;
            it->header_len = msg.header_len;
            return MT_OK;
        case MT_MBOX_ERROR:
            r->start += consumed;
            memset(it, 0, sizeof(*it));
            if (msg.in_mbox)
                mt_error_set(&it->err, msg.err.status, "message %zu: %s", msg.index, msg.err.msg);
            else
                it->err = msg.err;
            problem(it, r->source, msg.err.status);
            it->index = msg.in_mbox ? msg.index : 0;
            return MT_OK;
        case MT_MBOX_END:
            close_file(r);
            break;
        }
    }
}

/* Bytes consumed so far. */
uint64_t
mt_reader_done(const struct mt_reader *r)
{
    return r->done_files + (r->open ? mt_input_offset(&r->in) : 0);
}

/* The total size of the regular files. */
uint64_t
mt_reader_total(const struct mt_reader *r)
{
    return r->walk.total;
}

/* Frees. */
void
mt_reader_free(struct mt_reader *r)
{
    if (r == NULL)
        return;
    close_file(r);
    mt_walk_free(&r->walk);
    free(r->buf);
    free(r);
}
