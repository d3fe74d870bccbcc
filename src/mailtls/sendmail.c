/* sendmail.c - runs sendmail(1) for one notice: argv, no shell, clean environment. */
#define _GNU_SOURCE 1 /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "notify_io.h"

/* Milliseconds on the monotonic clock. */
static long long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs sendmail for one recipient with msg on its standard input. */
enum mt_status
mt_sendmail_send(const struct mt_sendmail *sm, const char *recipient, const char *msg, size_t len,
                 int *exit_status, char *out, size_t outsz, struct mt_error *err)
{
    char mc[4200];
    char *envp[3] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL, NULL };
    /* Postfix's sendmail reads "-f <>" as the null sender (see mailtls-notify(8)). */
    char *argv[] = { (char *)sm->path, "-i", "-f", "<>", "--", (char *)recipient, NULL };
    posix_spawn_file_actions_t fa;
    int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, status = 0, rc;
    long long deadline = now_ms() + (long long)(sm->timeout > 0 ? sm->timeout : 30) * 1000;
    size_t off = 0, got = 0;
    bool in_open = true, out_open = true, killed = false;
    pid_t pid;

    *exit_status = -1;
    if (outsz > 0)
        out[0] = '\0';
    if (sm->mail_config != NULL && sm->mail_config[0] != '\0') {
        snprintf(mc, sizeof(mc), "MAIL_CONFIG=%s", sm->mail_config);
        envp[1] = mc;
    }
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(outp, O_CLOEXEC) != 0) {
        rc = errno;
        if (in[0] >= 0) {
            close(in[0]);
            close(in[1]);
        }
        return mt_error_set(err, MT_EIO, "pipe: %s", strerror(rc));
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 2);
    rc = posix_spawn(&pid, sm->path, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(outp[1]);
    if (rc != 0) {
        close(in[1]);
        close(outp[0]);
        return mt_error_set(err, MT_EIO, "%s: cannot run: %s", sm->path, strerror(rc));
    }
    (void)fcntl(in[1], F_SETFL, O_NONBLOCK);
    while (in_open || out_open) {
        struct pollfd p[2];
        nfds_t n = 0;
        long long left = deadline - now_ms();
        if (left <= 0) {
            killed = true;
            break;
        }
        if (in_open) {
            if (off == len) {
                close(in[1]);
                in_open = false;
                continue;
            }
            p[n].fd = in[1];
            p[n++].events = POLLOUT;
        }
        if (out_open) {
            p[n].fd = outp[0];
            p[n++].events = POLLIN;
        }
        if (poll(p, n, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
            break;
        if (in_open && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(in[1], msg + off, len - off);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                close(in[1]); /* the child stopped reading: its status says why */
                in_open = false;
            }
        }
        if (out_open && (p[n - 1].revents & (POLLIN | POLLERR | POLLHUP))) {
            char buf[512];
            ssize_t r = read(outp[0], buf, sizeof(buf));
            if (r <= 0) {
                close(outp[0]);
                out_open = false;
            } else if (got + 1 < outsz) {
                size_t k = (size_t)r < outsz - got - 1 ? (size_t)r : outsz - got - 1;
                memcpy(out + got, buf, k);
                got += k;
                out[got] = '\0';
            }
        }
    }
    if (in_open)
        close(in[1]);
    if (out_open)
        close(outp[0]);
    if (killed)
        kill(pid, SIGKILL);
    for (;;) {
        pid_t w = waitpid(pid, &status, killed ? 0 : WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return mt_error_set(err, MT_EIO, "waitpid: %s", strerror(errno));
        if (!killed && now_ms() >= deadline) {
            killed = true;
            kill(pid, SIGKILL);
            continue;
        }
        if (!killed)
            usleep(2000);
    }
    {
        char *nl = strpbrk(out, "\r\n");
        if (nl != NULL)
            *nl = '\0';
    }
    if (killed)
        return mt_error_set(err, MT_EIO, "%s: killed after %d s", sm->path, sm->timeout);
    if (WIFEXITED(status))
        *exit_status = WEXITSTATUS(status);
    return MT_OK;
}
