/* input.c - files and standard input through zlib (see input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GZ_BUFFER (128 * 1024) /* zlib's own buffer; larger reads bypass it */

/* Opens a file or standard input. */
enum mt_status
mt_input_open(struct mt_input *in, const char *path, struct mt_error *err)
{
    struct stat st;
    int fd;

    memset(in, 0, sizeof(*in));
    in->name = path;
    mt_error_clear(err);
    if (strcmp(path, "-") == 0)
        fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    else
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        mt_error_set(err, MT_NOTFOUND, "cannot open: %s", strerror(errno));
        mt_error_at(err, path, 0, 0);
        return MT_NOTFOUND;
    }
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            close(fd);
            mt_error_set(err, MT_NOTFOUND, "cannot open: %s", strerror(EISDIR));
            mt_error_at(err, path, 0, 0);
            return MT_NOTFOUND;
        }
        if (S_ISREG(st.st_mode)) {
            in->size = (uint64_t)st.st_size;
            in->mtime = (int64_t)st.st_mtime;
        }
    }
    in->gz = gzdopen(fd, "rb");
    if (in->gz == NULL) {
        close(fd);
        mt_error_set(err, MT_ENOMEM, "out of memory");
        mt_error_at(err, path, 0, 0);
        return MT_ENOMEM;
    }
    gzbuffer(in->gz, GZ_BUFFER);
    return MT_OK;
}

/* Reads the next bytes. */
enum mt_status
mt_input_read(struct mt_input *in, char *buf, size_t n, size_t *got, struct mt_error *err)
{
    int r, zerr;
    const char *msg;

    *got = 0;
    if (n > INT_MAX)
        n = INT_MAX;
    errno = 0;
    r = gzread(in->gz, buf, (unsigned)n);
    if (r > 0) {
        *got = (size_t)r;
        in->nread += (uint64_t)r;
        return MT_OK;
    }
    msg = gzerror(in->gz, &zerr);
    if (r == 0 && (zerr == Z_OK || zerr == Z_STREAM_END))
        return MT_OK;
    if (zerr == Z_ERRNO) {
        mt_error_set(err, MT_EIO, "read error: %s", strerror(errno != 0 ? errno : EIO));
        mt_error_at(err, in->name, 0, 0);
        return MT_EIO;
    }
    mt_error_set(err, MT_EPARSE, "gzip data: %s", zerr == Z_BUF_ERROR ? "truncated" : msg);
    mt_error_at(err, in->name, 0, 0);
    return MT_EPARSE;
}

/* Bytes of the file consumed; gzoffset() costs a system call, so only for gzip data. */
uint64_t
mt_input_offset(const struct mt_input *in)
{
    z_off_t off;

    if (in->gz == NULL)
        return 0;
    if (gzdirect(in->gz))
        return in->nread;
    off = gzoffset(in->gz);
    return off > 0 ? (uint64_t)off : 0;
}

/* Closes. */
void
mt_input_close(struct mt_input *in)
{
    if (in->gz != NULL)
        gzclose_r(in->gz);
    in->gz = NULL;
}
