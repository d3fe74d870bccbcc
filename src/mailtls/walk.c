/* walk.c - command-line paths to input files (see walk.h). */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Appends an entry; path is copied. */
static enum mt_status
push(struct mt_walk *w, const char *path, uint64_t size, bool single, int errnum, bool dir)
{
    struct mt_walk_entry *e;

    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 16;
        struct mt_walk_entry *nv = realloc(w->v, ncap * sizeof(*nv));
        if (nv == NULL)
            return MT_ENOMEM;
        w->v = nv;
        w->cap = ncap;
    }
    e = &w->v[w->n];
    e->path = strdup(path);
    if (e->path == NULL)
        return MT_ENOMEM;
    e->size = size;
    e->single = single;
    e->errnum = errnum;
    e->dir = dir;
    w->n++;
    w->total += size;
    return MT_OK;
}

/* dir + "/" + name in a new string. */
static char *
join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *s = malloc(a + b + 2);

    if (s == NULL)
        return NULL;
    while (a > 1 && dir[a - 1] == '/')
        a--;
    memcpy(s, dir, a);
    s[a] = '/';
    memcpy(s + a + 1, name, b + 1);
    return s;
}

/* True when path/sub is a directory. */
static bool
has_subdir(const char *path, const char *sub)
{
    struct stat st;
    char *p = join(path, sub);
    bool yes = p != NULL && stat(p, &st) == 0 && S_ISDIR(st.st_mode);

    free(p);
    return yes;
}

/* A Maildir has cur/ or new/. */
static bool
is_maildir(const char *path)
{
    return has_subdir(path, "cur") || has_subdir(path, "new");
}

/* Orders names byte-wise. */
static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted, without "." and "..": *names owned by the caller. */
static int
list_dir(const char *dir, char ***names, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;
    size_t cap = 0;

    *names = NULL;
    *n = 0;
    if (d == NULL)
        return errno;
    while ((errno = 0, e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (*n == cap) {
            char **nv;
            cap = cap ? cap * 2 : 64;
            nv = realloc(v, cap * sizeof(*nv));
            if (nv == NULL)
                goto nomem;
            v = nv;
        }
        v[*n] = strdup(e->d_name);
        if (v[*n] == NULL)
            goto nomem;
        (*n)++;
    }
    closedir(d);
    if (*n > 0)
        qsort(v, *n, sizeof(*v), cmp_names);
    *names = v;
    return 0;
nomem:
    closedir(d);
    while (*n > 0)
        free(v[--*n]);
    free(v);
    return ENOMEM;
}

/* Frees a name list. */
static void
free_names(char **names, size_t n)
{
    while (n > 0)
        free(names[--n]);
    free(names);
}

/* The regular files of dir (Maildir cur/ or new/, or a plain directory). */
static enum mt_status
add_files(struct mt_walk *w, const char *dir, bool single, bool maildirs)
{
    char **names;
    size_t n, i;
    enum mt_status st = MT_OK;
    int e = list_dir(dir, &names, &n);

    if (e == ENOMEM)
        return MT_ENOMEM;
    if (e != 0)
        return push(w, dir, 0, false, e, true);
    for (i = 0; i < n && st == MT_OK; i++) {
        struct stat sb;
        char *p;
        if (names[i][0] == '.')
            continue;
        p = join(dir, names[i]);
        if (p == NULL) {
            st = MT_ENOMEM;
            break;
        }
        if (stat(p, &sb) != 0)
            st = push(w, p, 0, single, errno, false);
        else if (S_ISREG(sb.st_mode))
            st = push(w, p, (uint64_t)sb.st_size, single, 0, false);
        else if (maildirs && S_ISDIR(sb.st_mode) && is_maildir(p))
            st = mt_walk_add(w, p);
        free(p);
    }
    free_names(names, n);
    return st;
}

/* One Maildir: cur/, new/, then its Maildir++ folders. */
static enum mt_status
add_maildir(struct mt_walk *w, const char *path, bool folders)
{
    static const char *const subs[] = { "cur", "new" };
    char **names;
    size_t n, i;
    enum mt_status st = MT_OK;
    int e;

    for (i = 0; i < 2 && st == MT_OK; i++) {
        char *p;
        if (!has_subdir(path, subs[i]))
            continue;
        p = join(path, subs[i]);
        if (p == NULL)
            return MT_ENOMEM;
        st = add_files(w, p, true, false);
        free(p);
    }
    if (st != MT_OK || !folders)
        return st;
    e = list_dir(path, &names, &n);
    if (e == ENOMEM)
        return MT_ENOMEM;
    if (e != 0)
        return push(w, path, 0, false, e, true);
    for (i = 0; i < n && st == MT_OK; i++) {
        char *p;
        if (names[i][0] != '.')
            continue;
        p = join(path, names[i]);
        if (p == NULL) {
            st = MT_ENOMEM;
            break;
        }
        if (is_maildir(p))
            st = add_maildir(w, p, false);
        free(p);
    }
    free_names(names, n);
    return st;
}

/* Expands one command-line argument. */
enum mt_status
mt_walk_add(struct mt_walk *w, const char *arg)
{
    struct stat sb;

    if (strcmp(arg, "-") == 0)
        return push(w, arg, 0, false, 0, false);
    if (stat(arg, &sb) != 0)
        return push(w, arg, 0, false, errno, false);
    if (!S_ISDIR(sb.st_mode))
        return push(w, arg, S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0, false, 0, false);
    if (is_maildir(arg))
        return add_maildir(w, arg, true);
    return add_files(w, arg, false, true);
}

/* Frees every entry. */
void
mt_walk_free(struct mt_walk *w)
{
    size_t i;

    for (i = 0; i < w->n; i++)
        free(w->v[i].path);
    free(w->v);
    memset(w, 0, sizeof(*w));
}
