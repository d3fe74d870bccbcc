/*
 * store_sqlite.c - the SQLite backend of store.h.
 *
 * One database file (created 0640), WAL journal, a busy timeout, and
 * forward-only migrations: migrations[i] brings user_version i to i + 1,
 * run in one IMMEDIATE transaction so that concurrent openers wait for
 * each other. Every write is one IMMEDIATE transaction (the lock is taken
 * before anything is read), which is what makes claims atomic.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BUSY_MS 10000

/*
 * WAL frames after which a commit checkpoints and truncates the WAL.
 *
 * Every `mailtls notify` is a new process, and the first connection to a
 * WAL database rebuilds the WAL index by reading the whole WAL file. Nor
 * does a new process know that an earlier one checkpointed the WAL (that
 * knowledge lives in the index it rebuilds), so without a truncating
 * checkpoint the WAL would only grow and every run would read all of it.
 * A TRUNCATE checkpoint every WAL_CHECKPOINT_FRAMES frames (a message writes
 * about five) bounds what each run reads, and its two syncs are shared by
 * the messages in between. doc/performance.md has the measurements.
 */
#ifndef WAL_CHECKPOINT_FRAMES
#define WAL_CHECKPOINT_FRAMES 100
#endif

struct sq {
    sqlite3 *db;
    int busy_ms;
    char path[4096];
};

static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE observations ("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, domain TEXT NOT NULL,"
    " sender_hash TEXT NOT NULL, client_ip TEXT NOT NULL, client_helo TEXT NOT NULL,"
    " queue_id TEXT NOT NULL, verdict INTEGER NOT NULL, reasons INTEGER NOT NULL,"
    " used INTEGER NOT NULL, protocol TEXT NOT NULL, cipher TEXT NOT NULL,"
    " bits INTEGER NOT NULL, pfs INTEGER NOT NULL, spf_pass INTEGER NOT NULL,"
    " decision TEXT NOT NULL);"
    "CREATE INDEX observations_time ON observations(time);"
    "CREATE INDEX observations_domain ON observations(domain, time);"
    "CREATE TABLE domains ("
    " domain TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
    " last_tls INTEGER NOT NULL, last_plaintext INTEGER NOT NULL, messages INTEGER NOT NULL,"
    " v0 INTEGER NOT NULL, v1 INTEGER NOT NULL, v2 INTEGER NOT NULL, v3 INTEGER NOT NULL,"
    " v4 INTEGER NOT NULL, v5 INTEGER NOT NULL,"
    " best_verdict INTEGER NOT NULL, best_protocol TEXT NOT NULL, best_cipher TEXT NOT NULL,"
    " latest_verdict INTEGER NOT NULL, latest_protocol TEXT NOT NULL,"
    " latest_cipher TEXT NOT NULL);"
    "CREATE TABLE hosts ("
    " ip TEXT PRIMARY KEY, domain TEXT NOT NULL, helo TEXT NOT NULL,"
    " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
    " last_tls INTEGER NOT NULL, last_plaintext INTEGER NOT NULL, messages INTEGER NOT NULL,"
    " v0 INTEGER NOT NULL, v1 INTEGER NOT NULL, v2 INTEGER NOT NULL, v3 INTEGER NOT NULL,"
    " v4 INTEGER NOT NULL, v5 INTEGER NOT NULL,"
    " best_verdict INTEGER NOT NULL, latest_verdict INTEGER NOT NULL);"
    "CREATE TABLE notices ("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, recipient_hash TEXT NOT NULL,"
    " kind TEXT NOT NULL, domain TEXT NOT NULL, verdict INTEGER NOT NULL, why TEXT NOT NULL,"
    " status TEXT NOT NULL);"
    "CREATE INDEX notices_domain ON notices(domain);"
    "CREATE INDEX notices_time ON notices(time);"
    "CREATE TABLE slots (key TEXT PRIMARY KEY, time INTEGER NOT NULL);"
    "CREATE TABLE day_counts (counter TEXT NOT NULL, day INTEGER NOT NULL,"
    " count INTEGER NOT NULL, PRIMARY KEY (counter, day));"
    "CREATE TABLE suppressions (kind INTEGER NOT NULL, key TEXT NOT NULL,"
    " since INTEGER NOT NULL, PRIMARY KEY (kind, key));",
    /* 1 -> 2: best and latest protocol and cipher per host, as per domain. */
    "ALTER TABLE hosts ADD COLUMN best_protocol TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE hosts ADD COLUMN best_cipher TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE hosts ADD COLUMN latest_protocol TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE hosts ADD COLUMN latest_cipher TEXT NOT NULL DEFAULT '';",
    /* 2 -> 3: what `mailtls report --db` needs to rebuild a message as the
       log reader gives it: the client's name, our host, and the TLS facts as
       written (the verdict's inputs), trust, group and signature. */
    "ALTER TABLE observations ADD COLUMN client_name TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE observations ADD COLUMN our_host TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE observations ADD COLUMN protocol_raw TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE observations ADD COLUMN cipher_raw TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE observations ADD COLUMN trust INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE observations ADD COLUMN kex_group TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE observations ADD COLUMN signature TEXT NOT NULL DEFAULT '';",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Maps an SQLite result code to a status and fills err. */
static enum mt_status
fail(struct sq *s, int rc, struct mt_error *err, const char *what)
{
    enum mt_status st;

    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
        st = MT_ETEMP;
        break;
    case SQLITE_NOMEM:
        st = MT_ENOMEM;
        break;
    default:
        st = MT_EIO;
        break;
    }
    return mt_error_set(err, st, "%s: %s: %s", s->path, what,
                        s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

/* Runs SQL without results. */
static int
exec(struct sq *s, const char *sql)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

/* Prepares a statement. */
static int
prep(struct sq *s, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
}

/* Binds a C string (NULL as ""). */
static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_TRANSIENT);
}

/* Steps a statement once and finalizes it (*st becomes NULL); returns the step's code. */
static int
step_once(sqlite3_stmt **st)
{
    int rc = sqlite3_step(*st);

    sqlite3_finalize(*st);
    *st = NULL;
    return rc;
}

/* Copies column i into dst. */
static void
col_text(sqlite3_stmt *st, int i, char *dst, size_t dstsz)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    snprintf(dst, dstsz, "%s", t != NULL ? (const char *)t : "");
}

/* Rolls back after a failure (keeps the first error). */
static void
rollback(struct sq *s)
{
    (void)exec(s, "ROLLBACK");
}

/*
 * After each commit in WAL mode: once the WAL holds WAL_CHECKPOINT_FRAMES
 * frames, copy them into the database and truncate the WAL. Without waiting:
 * when another process reads or writes, the checkpoint is left to a later
 * commit (the WAL keeps the data either way).
 */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    struct sq *s = arg;

    if (frames < WAL_CHECKPOINT_FRAMES)
        return SQLITE_OK;
    sqlite3_busy_timeout(db, 0);
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(db, s->busy_ms);
    return SQLITE_OK;
}

/* Opens (and creates, 0640) the database file. */
static enum mt_status
sq_open(const char *location, const struct mt_store_options *opt, void **h, struct mt_error *err)
{
    struct sq *s;
    int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

    *h = NULL;
    if (strncmp(location, "//", 2) == 0)
        location += 2; /* sqlite:///var/... */
    if (location[0] == '\0')
        return mt_error_set(err, MT_ECONFIG, "database: empty SQLite path");
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return mt_error_set(err, MT_ENOMEM, "out of memory");
    if (snprintf(s->path, sizeof(s->path), "%s", location) >= (int)sizeof(s->path)) {
        free(s);
        return mt_error_set(err, MT_ECONFIG, "database: path too long");
    }
    if (opt->create) {
        int fd = open(s->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd >= 0) {
            struct stat dst;
            char dir[sizeof(s->path)];
            char *slash;
            (void)fchmod(fd, 0640); /* whatever the umask */
            /* Created by root (`mailtls db`): hand it to the owner of the
               directory, the user notify runs as. */
            snprintf(dir, sizeof(dir), "%s", s->path);
            slash = strrchr(dir, '/');
            if (slash != NULL)
                *(slash == dir ? slash + 1 : slash) = '\0';
            if (geteuid() == 0 && slash != NULL && stat(dir, &dst) == 0)
                (void)fchown(fd, dst.st_uid, dst.st_gid);
            close(fd);
        } else if (errno != EEXIST) {
            enum mt_status st =
                mt_error_set(err, MT_ETEMP, "%s: cannot create: %s", s->path, strerror(errno));
            free(s);
            return st;
        }
    } else if (access(s->path, F_OK) != 0) {
        enum mt_status st =
            mt_error_set(err, MT_NOTFOUND, "%s: no database (%s)", s->path, strerror(errno));
        free(s);
        return st;
    }
    rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        enum mt_status st = fail(s, rc, err, "cannot open");
        sqlite3_close(s->db);
        free(s);
        return st;
    }
    s->busy_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : DEFAULT_BUSY_MS;
    sqlite3_busy_timeout(s->db, s->busy_ms);
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_wal_hook(s->db, wal_hook, s); /* replaces the PASSIVE autocheckpoint */
    {
        /* One short-lived process per message: keep the WAL file and leave
           checkpoints to the automatic ones at commit, rather than a
           checkpoint, fsync and WAL deletion at every close. In WAL mode
           synchronous=NORMAL is durable across crashes of the program. */
        int one = 1;
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
        (void)exec(s, "PRAGMA synchronous = NORMAL");
    }
    *h = s;
    return MT_OK;
}

/* Closes the database. */
static void
sq_close(void *h)
{
    struct sq *s = h;

    sqlite3_close(s->db);
    free(s);
}

/* Reads PRAGMA user_version. */
static int
user_version(struct sq *s, int *v)
{
    sqlite3_stmt *st;
    int rc = prep(s, "PRAGMA user_version", &st);

    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Sets WAL mode and applies the migrations the file lacks. */
static enum mt_status
sq_migrate(void *h, struct mt_error *err)
{
    struct sq *s = h;
    char sql[64];
    int rc, v = 0;

    rc = user_version(s, &v);
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "reading the schema version");
    if (v == SCHEMA_VERSION)
        return MT_OK; /* the common case: no write at all */
    if (v > SCHEMA_VERSION)
        return mt_error_set(err, MT_ECONFIG,
                            "%s: schema version %d is newer than this mailtls knows (%d)", s->path,
                            v, SCHEMA_VERSION);
    rc = exec(s, "PRAGMA journal_mode=WAL");
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "setting WAL mode");
    rc = exec(s, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "locking for migration");
    rc = user_version(s, &v); /* someone may have migrated meanwhile */
    while (rc == SQLITE_OK && v < SCHEMA_VERSION) {
        rc = exec(s, migrations[v]);
        if (rc != SQLITE_OK)
            break;
        v++;
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
        rc = exec(s, sql);
    }
    if (rc == SQLITE_OK)
        rc = exec(s, "COMMIT");
    if (rc != SQLITE_OK) {
        enum mt_status st = fail(s, rc, err, "migrating the schema");
        rollback(s);
        return st;
    }
    return MT_OK;
}

/* The better of two verdicts; unknown is better than nothing only. */
static enum mt_verdict
better(enum mt_verdict old, enum mt_verdict now)
{
    if (old == MT_VERDICT_UNKNOWN)
        return now;
    if (now == MT_VERDICT_UNKNOWN)
        return old;
    return now < old ? now : old;
}

/* The best TLS a domain or host row has seen, merged with a new observation's. */
struct best {
    int64_t last_tls; /* the row's, 0 for a new row */
    int verdict;
    char protocol[MT_ST_PROTO_MAX], cipher[MT_ST_CIPHER_MAX];
    bool is_new; /* no row yet */
};

/*
 * Reads last_tls, best_verdict, best_protocol and best_cipher of the row
 * that sql selects by the key ?1 into b, merged with o: o's facts where its
 * verdict is strictly better or there is no row, else the row's.
 */
static int
read_best(struct sq *s, const char *sql, const char *key, const struct mt_observation *o,
          struct best *b)
{
    sqlite3_stmt *st;
    int rc = prep(s, sql, &st);

    b->last_tls = 0;
    b->verdict = (int)o->verdict;
    b->is_new = false;
    snprintf(b->protocol, sizeof(b->protocol), "%s", o->protocol);
    snprintf(b->cipher, sizeof(b->cipher), "%s", o->cipher);
    if (rc != SQLITE_OK)
        return rc;
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int old = sqlite3_column_int(st, 1);
        b->last_tls = sqlite3_column_int64(st, 0);
        b->verdict = (int)better((enum mt_verdict)old, o->verdict);
        if (b->verdict == old) { /* not strictly better: keep the old facts */
            col_text(st, 2, b->protocol, sizeof(b->protocol));
            col_text(st, 3, b->cipher, sizeof(b->cipher));
        }
    } else if (rc == SQLITE_DONE) {
        b->is_new = true;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Records an observation and updates the aggregates, in one transaction. */
static enum mt_status
sq_record(void *h, const struct mt_observation *o, struct mt_record_result *res,
          struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st = NULL;
    bool tls = o->used == MT_TRI_YES, plain = o->verdict == MT_VERDICT_PLAINTEXT;
    int rc, v = (int)o->verdict;
    const char *what = "recording";

    memset(res, 0, sizeof(*res));
    if (v < 0 || v >= MT_VERDICT_COUNT)
        return mt_error_set(err, MT_EPARSE, "bad verdict %d", v);
    rc = exec(s, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "locking");

    rc = prep(s,
              "INSERT INTO observations (time, domain, sender_hash, client_ip, client_helo,"
              " queue_id, verdict, reasons, used, protocol, cipher, bits, pfs, spf_pass, decision,"
              " client_name, our_host, protocol_raw, cipher_raw, trust, kex_group, signature)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
              " ?17, ?18, ?19, ?20, ?21, ?22)",
              &st);
    if (rc != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, o->time);
    bind_text(st, 2, o->domain);
    bind_text(st, 3, o->sender_hash);
    bind_text(st, 4, o->client_ip);
    bind_text(st, 5, o->client_helo);
    bind_text(st, 6, o->queue_id);
    sqlite3_bind_int(st, 7, v);
    sqlite3_bind_int64(st, 8, o->reasons);
    sqlite3_bind_int(st, 9, (int)o->used);
    bind_text(st, 10, o->protocol);
    bind_text(st, 11, o->cipher);
    sqlite3_bind_int(st, 12, o->bits);
    sqlite3_bind_int(st, 13, (int)o->pfs);
    sqlite3_bind_int(st, 14, o->spf_pass);
    bind_text(st, 15, o->decision);
    bind_text(st, 16, o->client_name);
    bind_text(st, 17, o->our_host);
    bind_text(st, 18, o->protocol_raw);
    bind_text(st, 19, o->cipher_raw);
    sqlite3_bind_int(st, 20, (int)o->trust);
    bind_text(st, 21, o->kex_group);
    bind_text(st, 22, o->signature);
    rc = step_once(&st);
    if (rc != SQLITE_DONE)
        goto out;

    if (o->domain[0] != '\0') {
        struct best b;
        char sql[1024];
        what = "reading the domain";
        rc = read_best(s,
                       "SELECT last_tls, best_verdict, best_protocol, best_cipher FROM domains"
                       " WHERE domain = ?1",
                       o->domain, o, &b);
        if (rc != SQLITE_OK)
            goto out;
        res->new_domain = b.is_new;
        res->domain_last_tls = b.last_tls;
        res->domain_downgrade = plain && res->domain_last_tls > 0;
        what = "updating the domain";
        /* One statement: the verdict's counter is named in the SQL text. */
        snprintf(sql, sizeof(sql),
                 "INSERT INTO domains VALUES (?1, ?2, ?2, ?3, ?4, 1, %d, %d, %d, %d, %d, %d,"
                 " ?5, ?6, ?7, ?5, ?6, ?7)"
                 " ON CONFLICT (domain) DO UPDATE SET last_seen = max(last_seen, ?2),"
                 " first_seen = min(first_seen, ?2),"
                 " last_tls = max(last_tls, ?3), last_plaintext = max(last_plaintext, ?4),"
                 " messages = messages + 1, v%d = v%d + 1, best_verdict = ?8,"
                 " best_protocol = ?9, best_cipher = ?10, latest_verdict = ?5,"
                 " latest_protocol = ?6, latest_cipher = ?7",
                 v == 0, v == 1, v == 2, v == 3, v == 4, v == 5, v, v);
        rc = prep(s, sql, &st);
        if (rc != SQLITE_OK)
            goto out;
        bind_text(st, 1, o->domain);
        sqlite3_bind_int64(st, 2, o->time);
        sqlite3_bind_int64(st, 3, tls ? o->time : 0);
        sqlite3_bind_int64(st, 4, plain ? o->time : 0);
        sqlite3_bind_int(st, 5, v);
        bind_text(st, 6, o->protocol);
        bind_text(st, 7, o->cipher);
        sqlite3_bind_int(st, 8, b.verdict);
        bind_text(st, 9, b.protocol);
        bind_text(st, 10, b.cipher);
        rc = step_once(&st);
        if (rc != SQLITE_DONE)
            goto out;
    }

    if (o->client_ip[0] != '\0') {
        struct best b;
        char sql[1024];
        what = "reading the host";
        rc = read_best(s,
                       "SELECT last_tls, best_verdict, best_protocol, best_cipher FROM hosts"
                       " WHERE ip = ?1",
                       o->client_ip, o, &b);
        if (rc != SQLITE_OK)
            goto out;
        res->new_host = b.is_new;
        res->host_last_tls = b.last_tls;
        res->host_downgrade = plain && res->host_last_tls > 0;
        what = "updating the host";
        snprintf(sql, sizeof(sql),
                 "INSERT INTO hosts (ip, domain, helo, first_seen, last_seen, last_tls,"
                 " last_plaintext, messages, v0, v1, v2, v3, v4, v5, best_verdict,"
                 " latest_verdict, best_protocol, best_cipher, latest_protocol, latest_cipher)"
                 " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, 1, %d, %d, %d, %d, %d, %d, ?7, ?7, ?9,"
                 " ?10, ?11, ?12)"
                 " ON CONFLICT (ip) DO UPDATE SET domain = ?2, helo = ?3,"
                 " first_seen = min(first_seen, ?4), last_seen = max(last_seen, ?4),"
                 " last_tls = max(last_tls, ?5), last_plaintext = max(last_plaintext, ?6),"
                 " messages = messages + 1, v%d = v%d + 1, best_verdict = ?8,"
                 " latest_verdict = ?7, best_protocol = ?9, best_cipher = ?10,"
                 " latest_protocol = ?11, latest_cipher = ?12",
                 v == 0, v == 1, v == 2, v == 3, v == 4, v == 5, v, v);
        rc = prep(s, sql, &st);
        if (rc != SQLITE_OK)
            goto out;
        bind_text(st, 1, o->client_ip);
        bind_text(st, 2, o->domain);
        bind_text(st, 3, o->client_helo);
        sqlite3_bind_int64(st, 4, o->time);
        sqlite3_bind_int64(st, 5, tls ? o->time : 0);
        sqlite3_bind_int64(st, 6, plain ? o->time : 0);
        sqlite3_bind_int(st, 7, v);
        sqlite3_bind_int(st, 8, b.verdict);
        bind_text(st, 9, b.protocol);
        bind_text(st, 10, b.cipher);
        bind_text(st, 11, o->protocol);
        bind_text(st, 12, o->cipher);
        rc = step_once(&st);
        if (rc != SQLITE_DONE)
            goto out;
    }
    what = "committing";
    rc = exec(s, "COMMIT");
out:
    if (st != NULL)
        sqlite3_finalize(st);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        enum mt_status stt = fail(s, rc, err, what);
        rollback(s);
        return stt;
    }
    return MT_OK;
}

#define DOMAIN_COLS                                                                                \
    "d.domain, d.first_seen, d.last_seen, d.last_tls, d.last_plaintext, d.messages, d.v0, d.v1,"   \
    " d.v2, d.v3, d.v4, d.v5, d.best_verdict, d.best_protocol, d.best_cipher, d.latest_verdict,"   \
    " d.latest_protocol, d.latest_cipher,"                                                         \
    " (SELECT count(*) FROM notices n WHERE n.domain = d.domain AND n.kind != 'admin')"

/* Fills a domain row from a statement selecting DOMAIN_COLS. */
static void
domain_row(sqlite3_stmt *st, struct mt_domain_row *d)
{
    int i;

    memset(d, 0, sizeof(*d));
    col_text(st, 0, d->domain, sizeof(d->domain));
    d->first_seen = sqlite3_column_int64(st, 1);
    d->last_seen = sqlite3_column_int64(st, 2);
    d->last_tls = sqlite3_column_int64(st, 3);
    d->last_plaintext = sqlite3_column_int64(st, 4);
    d->messages = sqlite3_column_int64(st, 5);
    for (i = 0; i < MT_VERDICT_COUNT; i++)
        d->by_verdict[i] = sqlite3_column_int64(st, 6 + i);
    d->best_verdict = (enum mt_verdict)sqlite3_column_int(st, 12);
    col_text(st, 13, d->best_protocol, sizeof(d->best_protocol));
    col_text(st, 14, d->best_cipher, sizeof(d->best_cipher));
    d->latest_verdict = (enum mt_verdict)sqlite3_column_int(st, 15);
    col_text(st, 16, d->latest_protocol, sizeof(d->latest_protocol));
    col_text(st, 17, d->latest_cipher, sizeof(d->latest_cipher));
    d->notices = sqlite3_column_int64(st, 18);
}

/* Reads one domain. */
static enum mt_status
sq_domain_get(void *h, const char *domain, struct mt_domain_row *out, struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st;
    int rc = prep(s, "SELECT " DOMAIN_COLS " FROM domains d WHERE d.domain = ?1", &st);

    if (rc != SQLITE_OK)
        return fail(s, rc, err, "reading a domain");
    bind_text(st, 1, domain);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        domain_row(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return mt_error_set(err, MT_NOTFOUND, "no domain '%s' in the store", domain);
    if (rc != SQLITE_ROW)
        return fail(s, rc, err, "reading a domain");
    return MT_OK;
}

/* Iterates over domains in the asked order. */
static enum mt_status
sq_domains_each(void *h, const struct mt_domain_query *q, mt_domain_cb cb, void *arg,
                struct mt_error *err)
{
    static const char *const order[] = {
        "d.messages DESC, d.domain",
        "d.v5 DESC, d.messages DESC, d.domain",
        "d.last_seen DESC, d.domain",
        "d.domain",
    };
    struct sq *s = h;
    sqlite3_stmt *st;
    char sql[768], where[32] = "";
    int rc;

    if (q->sort < MT_SORT_MESSAGES || q->sort > MT_SORT_DOMAIN)
        return mt_error_set(err, MT_ECONFIG, "bad sort order");
    if (q->verdict >= 0 && q->verdict < MT_VERDICT_COUNT)
        snprintf(where, sizeof(where), "WHERE d.v%d > 0", q->verdict);
    snprintf(sql, sizeof(sql), "SELECT " DOMAIN_COLS " FROM domains d %s ORDER BY %s", where,
             order[q->sort]);
    rc = prep(s, sql, &st);
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "listing domains");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct mt_domain_row d;
        domain_row(st, &d);
        if (cb(&d, arg) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MT_OK : fail(s, rc, err, "listing domains");
}

/* Reads one host. */
static enum mt_status
sq_host_get(void *h, const char *ip, struct mt_host_row *out, struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT ip, domain, helo, first_seen, last_seen, last_tls, last_plaintext,"
                  " messages, v0, v1, v2, v3, v4, v5, best_verdict, latest_verdict,"
                  " best_protocol, best_cipher, latest_protocol, latest_cipher"
                  " FROM hosts WHERE ip = ?1",
                  &st),
        i;

    if (rc != SQLITE_OK)
        return fail(s, rc, err, "reading a host");
    bind_text(st, 1, ip);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        col_text(st, 0, out->ip, sizeof(out->ip));
        col_text(st, 1, out->domain, sizeof(out->domain));
        col_text(st, 2, out->helo, sizeof(out->helo));
        out->first_seen = sqlite3_column_int64(st, 3);
        out->last_seen = sqlite3_column_int64(st, 4);
        out->last_tls = sqlite3_column_int64(st, 5);
        out->last_plaintext = sqlite3_column_int64(st, 6);
        out->messages = sqlite3_column_int64(st, 7);
        for (i = 0; i < MT_VERDICT_COUNT; i++)
            out->by_verdict[i] = sqlite3_column_int64(st, 8 + i);
        out->best_verdict = (enum mt_verdict)sqlite3_column_int(st, 14);
        out->latest_verdict = (enum mt_verdict)sqlite3_column_int(st, 15);
        col_text(st, 16, out->best_protocol, sizeof(out->best_protocol));
        col_text(st, 17, out->best_cipher, sizeof(out->best_cipher));
        col_text(st, 18, out->latest_protocol, sizeof(out->latest_protocol));
        col_text(st, 19, out->latest_cipher, sizeof(out->latest_cipher));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return mt_error_set(err, MT_NOTFOUND, "no host '%s' in the store", ip);
    return rc == SQLITE_ROW ? MT_OK : fail(s, rc, err, "reading a host");
}

/* A stored trust value; what this version does not know is unknown. */
static enum mt_trust
trust_of(int v)
{
    return v > (int)MT_TRUST_UNKNOWN && v <= (int)MT_TRUST_VERIFIED ? (enum mt_trust)v
                                                                    : MT_TRUST_UNKNOWN;
}

/* Iterates over observations in time order. */
static enum mt_status
sq_observations_each(void *h, int64_t since, int64_t until, mt_observation_cb cb, void *arg,
                     struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT time, domain, sender_hash, client_ip, client_helo, queue_id, verdict,"
                  " reasons, used, protocol, cipher, bits, pfs, spf_pass, decision, client_name,"
                  " our_host, protocol_raw, cipher_raw, trust, kex_group, signature"
                  " FROM observations WHERE time >= ?1 AND time < ?2 ORDER BY time, id",
                  &st);

    if (rc != SQLITE_OK)
        return fail(s, rc, err, "listing observations");
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, until);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct mt_observation o;
        memset(&o, 0, sizeof(o));
        o.time = sqlite3_column_int64(st, 0);
        col_text(st, 1, o.domain, sizeof(o.domain));
        col_text(st, 2, o.sender_hash, sizeof(o.sender_hash));
        col_text(st, 3, o.client_ip, sizeof(o.client_ip));
        col_text(st, 4, o.client_helo, sizeof(o.client_helo));
        col_text(st, 5, o.queue_id, sizeof(o.queue_id));
        o.verdict = (enum mt_verdict)sqlite3_column_int(st, 6);
        o.reasons = (unsigned)sqlite3_column_int64(st, 7);
        o.used = (enum mt_tri)sqlite3_column_int(st, 8);
        col_text(st, 9, o.protocol, sizeof(o.protocol));
        col_text(st, 10, o.cipher, sizeof(o.cipher));
        o.bits = sqlite3_column_int(st, 11);
        o.pfs = (enum mt_tri)sqlite3_column_int(st, 12);
        o.spf_pass = sqlite3_column_int(st, 13) != 0;
        col_text(st, 14, o.decision, sizeof(o.decision));
        col_text(st, 15, o.client_name, sizeof(o.client_name));
        col_text(st, 16, o.our_host, sizeof(o.our_host));
        col_text(st, 17, o.protocol_raw, sizeof(o.protocol_raw));
        col_text(st, 18, o.cipher_raw, sizeof(o.cipher_raw));
        o.trust = trust_of(sqlite3_column_int(st, 19));
        col_text(st, 20, o.kex_group, sizeof(o.kex_group));
        col_text(st, 21, o.signature, sizeof(o.signature));
        if (cb(&o, arg) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MT_OK : fail(s, rc, err, "listing observations");
}

/* Runs a one-row integer query with one text and one integer parameter. */
static int
query_int(struct sq *s, const char *sql, const char *a, int64_t b, int64_t *out, bool *found)
{
    sqlite3_stmt *st;
    int rc = prep(s, sql, &st);

    if (rc != SQLITE_OK)
        return rc;
    bind_text(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs a statement with text/int parameters given as a format: 't' text, 'i' int64. */
static int
run(struct sq *s, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int rc = prep(s, sql, &st), i;

    if (rc != SQLITE_OK)
        return rc;
    va_start(ap, types);
    for (i = 0; types[i] != '\0'; i++) {
        if (types[i] == 't')
            bind_text(st, i + 1, va_arg(ap, const char *));
        else
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    rc = step_once(&st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Claims a slot atomically (see store.h). */
static enum mt_status
sq_claim(void *h, const struct mt_claim *c, enum mt_claim_result *res, long long *notice_id,
         struct mt_error *err)
{
    struct sq *s = h;
    int64_t last = 0, count = 0, day = c->now / 86400;
    bool found;
    int rc;

    *res = MT_CLAIM_INTERVAL;
    if (notice_id != NULL)
        *notice_id = 0;
    rc = exec(s, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "locking for a claim");
    rc =
        query_int(s, "SELECT time FROM slots WHERE key = ?1 AND ?2 = ?2", c->key, 0, &last, &found);
    if (rc != SQLITE_OK)
        goto out;
    if (found && c->now - last < c->interval) {
        *res = MT_CLAIM_INTERVAL;
        rc = exec(s, "ROLLBACK");
        return rc == SQLITE_OK ? MT_OK : fail(s, rc, err, "ending a claim");
    }
    rc = query_int(s, "SELECT count FROM day_counts WHERE counter = ?1 AND day = ?2", c->counter,
                   day, &count, &found);
    if (rc != SQLITE_OK)
        goto out;
    if (c->daily_limit >= 0 && count >= c->daily_limit) {
        *res = MT_CLAIM_DAILY_LIMIT;
        rc = exec(s, "ROLLBACK");
        return rc == SQLITE_OK ? MT_OK : fail(s, rc, err, "ending a claim");
    }
    rc = run(s, "INSERT INTO slots VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET time = ?2", "ti",
             c->key, c->now);
    if (rc != SQLITE_OK)
        goto out;
    rc = run(s,
             "INSERT INTO day_counts VALUES (?1, ?2, 1)"
             " ON CONFLICT (counter, day) DO UPDATE SET count = count + 1",
             "ti", c->counter, day);
    if (rc != SQLITE_OK)
        goto out;
    if (c->notice != NULL) {
        const struct mt_notice_row *n = c->notice;
        rc = run(s,
                 "INSERT INTO notices (time, recipient_hash, kind, domain, verdict, why, status)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'claimed')",
                 "itttit", c->now, n->recipient_hash, n->kind, n->domain, (int64_t)n->verdict,
                 n->why);
        if (rc != SQLITE_OK)
            goto out;
        if (notice_id != NULL)
            *notice_id = sqlite3_last_insert_rowid(s->db);
    }
    rc = exec(s, "COMMIT");
    if (rc == SQLITE_OK) {
        *res = MT_CLAIM_GRANTED;
        return MT_OK;
    }
out : {
    enum mt_status st = fail(s, rc, err, "claiming a slot");
    rollback(s);
    return st;
}
}

/* Sets a notice's status. */
static enum mt_status
sq_notice_status(void *h, long long id, const char *status, struct mt_error *err)
{
    struct sq *s = h;
    int rc = run(s, "UPDATE notices SET status = ?1 WHERE id = ?2", "ti", status, (int64_t)id);

    return rc == SQLITE_OK ? MT_OK : fail(s, rc, err, "updating a notice");
}

/* Iterates over notices, newest first. */
static enum mt_status
sq_notices_each(void *h, const char *domain, mt_notice_cb cb, void *arg, struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT id, time, recipient_hash, kind, domain, verdict, why, status"
                  " FROM notices WHERE ?1 IS NULL OR domain = ?1 ORDER BY time DESC, id DESC",
                  &st);

    if (rc != SQLITE_OK)
        return fail(s, rc, err, "listing notices");
    if (domain != NULL)
        bind_text(st, 1, domain);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct mt_notice_row n;
        memset(&n, 0, sizeof(n));
        n.id = sqlite3_column_int64(st, 0);
        n.time = sqlite3_column_int64(st, 1);
        col_text(st, 2, n.recipient_hash, sizeof(n.recipient_hash));
        col_text(st, 3, n.kind, sizeof(n.kind));
        col_text(st, 4, n.domain, sizeof(n.domain));
        n.verdict = (enum mt_verdict)sqlite3_column_int(st, 5);
        col_text(st, 6, n.why, sizeof(n.why));
        col_text(st, 7, n.status, sizeof(n.status));
        if (cb(&n, arg) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MT_OK : fail(s, rc, err, "listing notices");
}

/* Adds a suppression (idempotent). */
static enum mt_status
sq_suppress(void *h, enum mt_suppress_kind kind, const char *key, int64_t now, struct mt_error *err)
{
    struct sq *s = h;
    int rc = run(s, "INSERT INTO suppressions VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", "iti",
                 (int64_t)kind, key, now);

    return rc == SQLITE_OK ? MT_OK : fail(s, rc, err, "adding a suppression");
}

/* Removes a suppression; MT_NOTFOUND when there was none. */
static enum mt_status
sq_unsuppress(void *h, enum mt_suppress_kind kind, const char *key, struct mt_error *err)
{
    struct sq *s = h;
    int rc =
        run(s, "DELETE FROM suppressions WHERE kind = ?1 AND key = ?2", "it", (int64_t)kind, key);

    if (rc != SQLITE_OK)
        return fail(s, rc, err, "removing a suppression");
    if (sqlite3_changes(s->db) == 0)
        return mt_error_set(err, MT_NOTFOUND, "'%s' was not suppressed", key);
    return MT_OK;
}

/* Whether a domain or an address hash is suppressed. */
static enum mt_status
sq_is_suppressed(void *h, const char *domain, const char *addr_hash, bool *out,
                 struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT 1 FROM suppressions WHERE (kind = 0 AND key = ?1)"
                  " OR (kind = 1 AND key = ?2) LIMIT 1",
                  &st);

    *out = false;
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "reading suppressions");
    bind_text(st, 1, domain);
    bind_text(st, 2, addr_hash != NULL && addr_hash[0] != '\0' ? addr_hash : "\x01");
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MT_OK : fail(s, rc, err, "reading suppressions");
}

/* Iterates over suppressions. */
static enum mt_status
sq_suppressions_each(void *h, mt_suppression_cb cb, void *arg, struct mt_error *err)
{
    struct sq *s = h;
    sqlite3_stmt *st;
    int rc = prep(s, "SELECT kind, key, since FROM suppressions ORDER BY kind, key", &st);

    if (rc != SQLITE_OK)
        return fail(s, rc, err, "listing suppressions");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct mt_suppression x;
        x.kind = sqlite3_column_int(st, 0) == 0 ? MT_SUPPRESS_DOMAIN : MT_SUPPRESS_ADDRESS;
        col_text(st, 1, x.key, sizeof(x.key));
        x.since = sqlite3_column_int64(st, 2);
        if (cb(&x, arg) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MT_OK : fail(s, rc, err, "listing suppressions");
}

/* Drops what is older than before (see store.h). */
static enum mt_status
sq_purge(void *h, int64_t before, struct mt_purge_counts *out, struct mt_error *err)
{
    struct sq *s = h;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = exec(s, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return fail(s, rc, err, "locking for purge");
#define PURGE(sql, field)                                                                          \
    do {                                                                                           \
        rc = run(s, sql, "i", before);                                                             \
        if (rc != SQLITE_OK)                                                                       \
            goto out;                                                                              \
        out->field = sqlite3_changes(s->db);                                                       \
    } while (0)
    PURGE("DELETE FROM observations WHERE time < ?1", observations);
    PURGE("DELETE FROM notices WHERE time < ?1", notices);
    PURGE("DELETE FROM domains WHERE last_seen < ?1", domains);
    PURGE("DELETE FROM hosts WHERE last_seen < ?1", hosts);
    PURGE("DELETE FROM slots WHERE time < ?1", slots);
#undef PURGE
    rc = run(s, "DELETE FROM day_counts WHERE day < ?1 / 86400 - 1", "i", before);
    if (rc != SQLITE_OK)
        goto out;
    rc = exec(s, "COMMIT");
    if (rc == SQLITE_OK)
        return MT_OK;
out : {
    enum mt_status st = fail(s, rc, err, "purging");
    rollback(s);
    return st;
}
}

const struct mt_store_ops mt_store_sqlite_ops = {
    .scheme = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .migrate = sq_migrate,
    .record = sq_record,
    .domain_get = sq_domain_get,
    .domains_each = sq_domains_each,
    .host_get = sq_host_get,
    .observations_each = sq_observations_each,
    .claim = sq_claim,
    .notice_status = sq_notice_status,
    .notices_each = sq_notices_each,
    .suppress = sq_suppress,
    .unsuppress = sq_unsuppress,
    .is_suppressed = sq_is_suppressed,
    .suppressions_each = sq_suppressions_each,
    .purge = sq_purge,
};
