/*
 * walk.h - the files behind the paths given on the command line.
 *
 * mt_walk_add() turns one argument into input files, in a stable order:
 *   "-"             standard input;
 *   a file         itself (an mbox or one message, decided by its content);
 *   a Maildir      (a directory with cur/ or new/): the files in cur/ then
 *                  new/, each one message, sorted by name, and the same for
 *                  each Maildir++ folder in it (".Sent/cur" ...);
 *   a directory    its regular files sorted by name (each an mbox or one
 *                  message) and the Maildirs directly in it; deeper
 *                  directories are not visited.
 * Names starting with "." are skipped in listings (except Maildir++
 * folders). A path that cannot be examined becomes an entry carrying the
 * error, reported in order by the reader. MT_ENOMEM is the only failure.
 */
#ifndef MT_WALK_H
#define MT_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

struct mt_walk_entry {
    char *path;    /* owned */
    uint64_t size; /* bytes of a regular file, 0 otherwise */
    bool single;   /* a Maildir file: one message even if it starts with "From " */
    int errnum;    /* non-zero: the path could not be examined (errno value) */
    bool dir;      /* with errnum: a directory could not be listed */
};

struct mt_walk {
    struct mt_walk_entry *v;
    size_t n, cap;
    uint64_t total; /* sum of the sizes */
};

/* Appends the files behind arg (see above). */
enum mt_status mt_walk_add(struct mt_walk *w, const char *arg);

/* Frees the list; w is then empty. */
void mt_walk_free(struct mt_walk *w);

#endif
