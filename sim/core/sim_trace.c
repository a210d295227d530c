/* sim_trace.c -- the trace container: checksummed blocks, written whole. */
#include "sim_trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"

/* ==== CRC-32 ==== */

/* Four bits at a time: a 16-entry table is small enough to write out (no
 * lazy initialisation to race on between compare's threads) and fast
 * enough for traces of hundreds of megabytes. */
static const uint32_t crc_nibble[16] = {
    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
    0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t sim_crc32(uint32_t crc, const void *bytes, size_t size)
{
    const uint8_t *p = bytes;
    crc = ~crc;
    for (size_t i = 0; i < size; i++) {
        crc ^= p[i];
        crc = crc_nibble[crc & 15] ^ (crc >> 4);
        crc = crc_nibble[crc & 15] ^ (crc >> 4);
    }
    return ~crc;
}

/* ==== Writing ==== */

/* "path: reason" for the failure sim_file remembered for this path (or errno). */
static void write_error(const char *path, char *err, size_t err_size)
{
    int code = !strcmp(sim_io_error_path(), path) && sim_io_error_code() ? sim_io_error_code() : errno;
    if (err && err_size)
        snprintf(err, err_size, "%s: %s", path, strerror(code ? code : EIO));
}

int sim_trace_open(sim_trace_writer *t, const char *path, uint32_t version, char *err, size_t err_size)
{
    t->failed = 0;
    if (sim_file_open(&t->file, path)) {
        write_error(path, err, err_size);
        return SIM_EIO;
    }
    uint8_t head[12];
    memcpy(head, SIM_TRACE_MAGIC, 8);
    sim_put_le32(head + 8, version);
    if (fwrite(head, 1, sizeof head, t->file.f) != sizeof head) {
        sim_file_abort(&t->file);
        write_error(path, err, err_size);
        return SIM_EIO;
    }
    return SIM_OK;
}

static int put_block(sim_trace_writer *t, uint32_t type, const void *payload, size_t size)
{
    if (t->failed)
        return SIM_EIO;
    uint8_t head[8], tail[4];
    sim_put_le32(head, type);
    sim_put_le32(head + 4, (uint32_t)size);
    uint32_t crc = sim_crc32(sim_crc32(0, head, sizeof head), payload, size);
    sim_put_le32(tail, crc);
    if (fwrite(head, 1, sizeof head, t->file.f) != sizeof head ||
        (size && fwrite(payload, 1, size, t->file.f) != size) || fwrite(tail, 1, sizeof tail, t->file.f) != sizeof tail)
        t->failed = errno ? errno : EIO;
    return t->failed ? SIM_EIO : SIM_OK;
}

int sim_trace_block(sim_trace_writer *t, uint32_t type, const void *payload, size_t size)
{
    if (type == SIM_TRACE_END || size > SIM_TRACE_MAX_BLOCK) { /* a caller's bug, refused rather than written */
        t->failed = EINVAL;
        return SIM_EIO;
    }
    return put_block(t, type, payload, size);
}

int sim_trace_close(sim_trace_writer *t, char *err, size_t err_size)
{
    put_block(t, SIM_TRACE_END, "", 0);
    if (t->failed) {
        int code = t->failed;
        sim_file_abort(&t->file);
        if (err && err_size)
            snprintf(err, err_size, "%s: %s", t->file.path, strerror(code));
        return SIM_EIO;
    }
    if (sim_file_commit(&t->file)) {
        write_error(t->file.path, err, err_size);
        return SIM_EIO;
    }
    return SIM_OK;
}

void sim_trace_abort(sim_trace_writer *t) { sim_file_abort(&t->file); }

/* ==== Reading ==== */

int sim_trace_read_begin(sim_trace_reader *r, const void *bytes, size_t size, const char *name,
                         uint32_t max_version, char *err, size_t err_size)
{
    *r = (sim_trace_reader){.bytes = bytes, .size = size, .pos = 12, .name = name};
    size_t magic = size < 8 ? size : 8;
    if (size < 8 || memcmp(bytes, SIM_TRACE_MAGIC, magic)) {
        /* A file cut inside the magic is ours but truncated; anything else is foreign. */
        if (size && size < 8 && !memcmp(bytes, SIM_TRACE_MAGIC, size))
            snprintf(err, err_size, "%s: truncated at byte %zu: no version", name, size);
        else
            snprintf(err, err_size, "%s: not a dcsim trace", name);
        return SIM_EINPUT;
    }
    if (size < 12) {
        snprintf(err, err_size, "%s: truncated at byte %zu: no version", name, size);
        return SIM_EINPUT;
    }
    r->version = sim_le32(r->bytes + 8);
    if (r->version > max_version) {
        snprintf(err, err_size, "%s: version %" PRIu32 " is newer than this dcsim reads (%" PRIu32 ")", name,
                 r->version, max_version);
        return SIM_EINPUT;
    }
    if (r->version == 0) {
        snprintf(err, err_size, "%s: version 0 is not a dcsim trace's", name);
        return SIM_EINPUT;
    }
    return SIM_OK;
}

int sim_trace_read_next(sim_trace_reader *r, uint32_t *type, const uint8_t **payload, size_t *size, char *err,
                        size_t err_size)
{
    if (r->closed)
        return 0;
    size_t at = r->pos, left = r->size - r->pos;
    if (left == 0) {
        snprintf(err, err_size, "%s: truncated: no closing block", r->name);
        return SIM_EINPUT;
    }
    if (left < 12) {
        snprintf(err, err_size, "%s: truncated at byte %zu: block %zu at byte %zu is cut short", r->name, r->size,
                 r->block, at);
        return SIM_EINPUT;
    }
    uint32_t t = sim_le32(r->bytes + at), len = sim_le32(r->bytes + at + 4);
    /* The length is checked against what remains before it is used for anything. */
    if (len > left - 12) {
        snprintf(err, err_size, "%s: truncated at byte %zu: block %zu at byte %zu needs %" PRIu32 " bytes, %zu remain",
                 r->name, r->size, r->block, at, len, left - 12);
        return SIM_EINPUT;
    }
    uint32_t want = sim_le32(r->bytes + at + 8 + len);
    if (sim_crc32(0, r->bytes + at, 8 + (size_t)len) != want) {
        snprintf(err, err_size, "%s: block %zu at byte %zu: checksum mismatch", r->name, r->block, at);
        return SIM_EINPUT;
    }
    r->pos = at + 12 + len;
    r->block++;
    if (t == SIM_TRACE_END) {
        if (len != 0 || r->pos != r->size) {
            snprintf(err, err_size, "%s: block %zu at byte %zu: %s", r->name, r->block - 1, at,
                     len ? "a closing block with a payload" : "data after the closing block");
            return SIM_EINPUT;
        }
        r->closed = 1;
        return 0;
    }
    *type = t;
    *payload = r->bytes + at + 8;
    *size = len;
    return 1;
}

/* ==== Encoding ==== */

void sim_tbuf_free(sim_tbuf *b)
{
    sim_free(b->p);
    *b = (sim_tbuf){0};
}

void sim_tbuf_bytes(sim_tbuf *b, const void *bytes, size_t size)
{
    if (b->failed || !size)
        return;
    if (b->n + size > b->cap && sim_grow((void **)&b->p, &b->cap, b->n + size, 1)) {
        b->failed = 1;
        return;
    }
    memcpy(b->p + b->n, bytes, size);
    b->n += size;
}

void sim_tbuf_u8(sim_tbuf *b, uint8_t v) { sim_tbuf_bytes(b, &v, 1); }

void sim_tbuf_u32(sim_tbuf *b, uint32_t v)
{
    uint8_t p[4];
    sim_put_le32(p, v);
    sim_tbuf_bytes(b, p, 4);
}

void sim_tbuf_u64(sim_tbuf *b, uint64_t v)
{
    uint8_t p[8];
    sim_put_le64(p, v);
    sim_tbuf_bytes(b, p, 8);
}

void sim_tbuf_i64(sim_tbuf *b, int64_t v) { sim_tbuf_u64(b, (uint64_t)v); }

void sim_tbuf_f64(sim_tbuf *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    sim_tbuf_u64(b, bits);
}

void sim_tbuf_varint(sim_tbuf *b, uint64_t v)
{
    uint8_t p[10];
    size_t n = 0;
    do {
        p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    sim_tbuf_bytes(b, p, n);
}

void sim_tbuf_str(sim_tbuf *b, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    sim_tbuf_u32(b, (uint32_t)len);
    sim_tbuf_bytes(b, s, len);
}

const uint8_t *sim_tcur_bytes(sim_tcur *c, size_t size)
{
    if (c->bad || size > c->n - c->pos) {
        c->bad = 1;
        return NULL;
    }
    const uint8_t *p = c->p + c->pos;
    c->pos += size;
    return p;
}

uint8_t sim_tcur_u8(sim_tcur *c)
{
    const uint8_t *p = sim_tcur_bytes(c, 1);
    return p ? p[0] : 0;
}

uint32_t sim_tcur_u32(sim_tcur *c)
{
    const uint8_t *p = sim_tcur_bytes(c, 4);
    return p ? sim_le32(p) : 0;
}

uint64_t sim_tcur_u64(sim_tcur *c)
{
    const uint8_t *p = sim_tcur_bytes(c, 8);
    return p ? sim_le64(p) : 0;
}

int64_t sim_tcur_i64(sim_tcur *c) { return (int64_t)sim_tcur_u64(c); }

double sim_tcur_f64(sim_tcur *c)
{
    uint64_t bits = sim_tcur_u64(c);
    double v;
    memcpy(&v, &bits, 8);
    return v;
}

uint64_t sim_tcur_varint(sim_tcur *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t byte = sim_tcur_u8(c);
        if (c->bad)
            return 0;
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    c->bad = 1; /* more than ten bytes: not ours */
    return 0;
}

void sim_tcur_str(sim_tcur *c, char *out, size_t out_size)
{
    uint32_t len = sim_tcur_u32(c);
    const uint8_t *p = c->bad || len >= out_size ? NULL : sim_tcur_bytes(c, len);
    if (!p || memchr(p, '\0', len)) {
        c->bad = 1;
        if (out_size)
            out[0] = '\0';
        return;
    }
    memcpy(out, p, len);
    out[len] = '\0';
}
