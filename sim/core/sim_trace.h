/* sim_trace.h -- the trace file's container: a magic, a format version,
 * then blocks {u32 type, u32 length, payload, u32 CRC-32 of the three}
 * and a closing block. It knows nothing of what the blocks hold (models
 * put their film in them); it only promises that a file is whole, ours,
 * not newer than we read, and unaltered, before anyone decodes a byte.
 *
 * Everything is little-endian and encoded byte by byte, never a struct
 * written as it lies in memory, so a trace reads the same on any machine.
 * The writer publishes atomically (sim_file.h); the reader parses a
 * buffer in memory, so a fuzzer can feed it, and trusts no length. */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H
#include <stddef.h>
#include <stdint.h>

#include "sim_file.h"

/* The first 8 bytes of every trace. */
#define SIM_TRACE_MAGIC "dcsimTRC"
/* The type of the closing block (empty payload); models use other types. */
#define SIM_TRACE_END 0xffffffffu
/* The largest payload a block may have (a writer splits what is bigger). */
#define SIM_TRACE_MAX_BLOCK (64u << 20)

/* CRC-32 (IEEE 802.3, as zlib's crc32), continuing from `crc` (0 to start). */
uint32_t sim_crc32(uint32_t crc, const void *bytes, size_t size);

/* ==== Writing ==== */

typedef struct sim_trace_writer {
    sim_file file;
    int failed;                 /* a write failed: close removes the file */
} sim_trace_writer;

/* Opens a temporary file beside `path` and writes the magic and `version`.
 * 0, or SIM_EIO with the reason in err ("path: ..."). */
int sim_trace_open(sim_trace_writer *t, const char *path, uint32_t version, char *err, size_t err_size);
/* Appends one block (size <= SIM_TRACE_MAX_BLOCK, type != SIM_TRACE_END).
 * 0, or SIM_EIO (remembered: close then fails). */
int sim_trace_block(sim_trace_writer *t, uint32_t type, const void *payload, size_t size);
/* Writes the closing block, syncs and renames over the path. 0, or SIM_EIO
 * with the reason in err; on failure nothing is left behind. */
int sim_trace_close(sim_trace_writer *t, char *err, size_t err_size);
/* Gives up: removes the temporary file. */
void sim_trace_abort(sim_trace_writer *t);

/* ==== Reading ==== */

typedef struct sim_trace_reader {
    const uint8_t *bytes;
    size_t size, pos;           /* pos: the next block's first byte */
    const char *name;           /* the path, for messages */
    uint32_t version;           /* the file's */
    size_t block;               /* blocks read so far */
    int closed;                 /* the closing block was read */
} sim_trace_reader;

/* Checks the magic and the version (1 to max_version). 0, or SIM_EINPUT
 * with err "name: not a dcsim trace" / "name: version N is newer than
 * this dcsim reads (M)" / "name: truncated at byte N: ...". */
int sim_trace_read_begin(sim_trace_reader *r, const void *bytes, size_t size, const char *name,
                         uint32_t max_version, char *err, size_t err_size);
/* The next block, checked whole and against its checksum: 1 with its type
 * and payload (pointing into the buffer), 0 after the closing block (which
 * must end the file), or SIM_EINPUT with why in err. */
int sim_trace_read_next(sim_trace_reader *r, uint32_t *type, const uint8_t **payload, size_t *size, char *err,
                        size_t err_size);

/* ==== Encoding payloads ==== */

/* A growing buffer of little-endian values; a failed growth is remembered
 * (`failed`) and later puts do nothing, so one check at the end suffices. */
typedef struct sim_tbuf {
    uint8_t *p;
    size_t n, cap;
    int failed;
} sim_tbuf;

void sim_tbuf_free(sim_tbuf *b);
void sim_tbuf_bytes(sim_tbuf *b, const void *bytes, size_t size);
void sim_tbuf_u8(sim_tbuf *b, uint8_t v);
void sim_tbuf_u32(sim_tbuf *b, uint32_t v);
void sim_tbuf_u64(sim_tbuf *b, uint64_t v);
void sim_tbuf_i64(sim_tbuf *b, int64_t v);
void sim_tbuf_f64(sim_tbuf *b, double v);
/* Unsigned LEB128: 1 byte below 128. */
void sim_tbuf_varint(sim_tbuf *b, uint64_t v);
/* A u32 length, then the bytes (no NUL). */
void sim_tbuf_str(sim_tbuf *b, const char *s);

/* Reading a payload: every get past the end yields zeros and sets `bad`,
 * so a decoder checks once per record. */
typedef struct sim_tcur {
    const uint8_t *p;
    size_t n, pos;
    int bad;
} sim_tcur;

static inline sim_tcur sim_tcur_of(const uint8_t *p, size_t n) { return (sim_tcur){p, n, 0, 0}; }
static inline size_t sim_tcur_left(const sim_tcur *c) { return c->bad ? 0 : c->n - c->pos; }
/* Points at the next `size` bytes and skips them, or NULL (and bad). */
const uint8_t *sim_tcur_bytes(sim_tcur *c, size_t size);
uint8_t sim_tcur_u8(sim_tcur *c);
uint32_t sim_tcur_u32(sim_tcur *c);
uint64_t sim_tcur_u64(sim_tcur *c);
int64_t sim_tcur_i64(sim_tcur *c);
double sim_tcur_f64(sim_tcur *c);
uint64_t sim_tcur_varint(sim_tcur *c);
/* A string written by sim_tbuf_str into out (out_size bytes with the NUL);
 * bad when it does not fit or holds a NUL. */
void sim_tcur_str(sim_tcur *c, char *out, size_t out_size);

/* Little-endian loads and stores on raw bytes. */
static inline uint32_t sim_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t sim_le64(const uint8_t *p) { return sim_le32(p) | (uint64_t)sim_le32(p + 4) << 32; }
static inline void sim_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}
static inline void sim_put_le64(uint8_t *p, uint64_t v)
{
    sim_put_le32(p, (uint32_t)v);
    sim_put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* SIM_TRACE_H */
