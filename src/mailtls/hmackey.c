/* hmackey.c - the HMAC key file: read it, or create it once (see notify_io.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "notify_io.h"

/* Reads exactly n bytes from fd. */
static bool
read_full(int fd, unsigned char *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* Makes a new key file at path unless one appears first. */
static enum mt_status
create_key(const char *path, struct mt_error *err)
{
    unsigned char key[MT_HMAC_KEY_LEN];
    char tmp[4200], dir[4200];
    struct stat dst;
    int fd, rfd;
    ssize_t w;

    rfd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (rfd < 0 || !read_full(rfd, key, sizeof(key))) {
        if (rfd >= 0)
            close(rfd);
        return mt_error_set(err, MT_ETEMP, "/dev/urandom: %s", strerror(errno));
    }
    close(rfd);
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return mt_error_set(err, MT_ETEMP, "%s: cannot create: %s", tmp, strerror(errno));
    (void)fchmod(fd, 0600);
    snprintf(dir, sizeof(dir), "%s", path);
    if (geteuid() == 0 && stat(dirname(dir), &dst) == 0)
        (void)fchown(fd, dst.st_uid, dst.st_gid);
    w = write(fd, key, sizeof(key));
    if (w != (ssize_t)sizeof(key) || fsync(fd) != 0) {
        close(fd);
        unlink(tmp);
        return mt_error_set(err, MT_ETEMP, "%s: cannot write: %s", tmp, strerror(errno));
    }
    close(fd);
    if (link(tmp, path) != 0 && errno != EEXIST) {
        int e = errno;
        unlink(tmp);
        return mt_error_set(err, MT_ETEMP, "%s: cannot create: %s", path, strerror(e));
    }
    unlink(tmp);
    return MT_OK;
}

/* Loads (and on first use creates) the key. */
enum mt_status
mt_hmac_key_load(const char *path, bool create, unsigned char key[MT_HMAC_KEY_LEN],
                 struct mt_error *err)
{
    struct stat st;
    int fd;

    /* The key is what HMAC needs; OpenSSL's own configuration file is not:
     * skipping it keeps a site's openssl.cnf out of the mail flow and saves
     * most of libcrypto's start-up (doc/performance.md). */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0 && errno == ENOENT && create) {
        enum mt_status s = create_key(path, err);
        if (s != MT_OK)
            return s;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0)
        return mt_error_set(err, MT_ETEMP, "HMAC key %s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != MT_HMAC_KEY_LEN ||
        !read_full(fd, key, MT_HMAC_KEY_LEN)) {
        close(fd);
        return mt_error_set(err, MT_ETEMP, "HMAC key %s: not a %d-byte key file", path,
                            MT_HMAC_KEY_LEN);
    }
    close(fd);
    return MT_OK;
}
