/* model.c - the binary model format (see model.h): writing, validating and
 * mmap-loading *.hm files, and evaluating the linear heads on a turn's
 * feature vector with the top contributing features kept for evidence.
 * A loaded model is immutable and only read, so it is shared by threads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "model.h"

#define HDR_SIZE 40u
#define REC_SIZE 64u
#define MAX_OUTPUTS 64
#define MAX_FILES 64

typedef struct head {
    int kind, n_out, bits, wtype;
    float lo, hi;
    const float *bias, *thr, *scale;
    const void *w;
} head;

typedef struct mapping {
    void *p;
    size_t len;
} mapping;

/* Heads evaluated together are packed at load time into one table with a
 * row of all their outputs per feature id, so a feature costs one cache
 * miss instead of one per head (the emotions table alone is megabytes). */
#define N_PACKS 3
#define PREFETCH_AHEAD 16
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
typedef struct pack {
    int n_heads, n_out, bits;
    size_t stride; /* bytes per row: n_out (rows padded to a cache line were slower) */
    int hid[HEARD_N_HEADS], off[HEARD_N_HEADS];
    int text;     /* reads only the core features */
    int8_t *w;    /* [2^bits][stride], owned; NULL: not packed */
    uint32_t heads; /* bit set of hid[] (0: not packed) */
    float scale[MAX_OUTPUTS], bias[MAX_OUTPUTS]; /* per column */
} pack;

/* Sums a pack's rows over features f[0, nf) into acc (see "summing packed
 * rows" below). */
typedef void (*rows_fn)(const pack *p, const heard_feature *f, size_t nf, float *acc);
/* Sums pack a over f[0, na) and pack b over f[0, nb) (na <= nb) in one pass;
 * 0 when the kernel has no variant for the packs' sizes (nothing summed). */
typedef int (*rows2_fn)(const pack *a, const pack *b, const heard_feature *f, size_t na,
                        size_t nb, float *acc_a, float *acc_b);

struct heard_model {
    head heads[HEARD_N_HEADS];
    int present[HEARD_N_HEADS];
    uint32_t present_mask; /* bit set of present[] */
    mapping maps[MAX_FILES];
    size_t n_maps;
    pack packs[N_PACKS];
    int packed[HEARD_N_HEADS]; /* pack index + 1, 0 when evaluated alone */
    rows_fn rows;              /* chosen at load for this CPU */
    rows2_fn rows2;            /* the fused text + speaker pass, or NULL */
    void (*sigmoids)(const float *z, float *p, int n); /* sigmoids_fn, chosen at load */
    int fast_exp; /* sigmoids_fma and exp4_fma may be used */
};

static const char *const head_names[HEARD_N_HEADS] = {
    "emotions", "sentiment", "politeness", "urgency", "bid", "emotional_reaction",
    "interpretation", "exploration", "ownership", "dismissive", "felt_heard", "ekman"};
static const char *const head_cues[HEARD_N_HEADS] = {
    "model.emotions", "model.sentiment", "model.politeness", "model.urgency", "model.bid",
    "model.emotional_reaction", "model.interpretation", "model.exploration",
    "model.ownership", "model.dismissive", "model.felt_heard", "model.ekman"};
/* expected kind and output count of each known head */
static const int head_kind[HEARD_N_HEADS] = {
    HEARD_KIND_MULTILABEL, HEARD_KIND_REGRESSION, HEARD_KIND_REGRESSION,
    HEARD_KIND_MULTICLASS, HEARD_KIND_BINARY,     HEARD_KIND_MULTICLASS,
    HEARD_KIND_MULTICLASS, HEARD_KIND_MULTICLASS, HEARD_KIND_BINARY,
    HEARD_KIND_BINARY,     HEARD_KIND_REGRESSION, HEARD_KIND_MULTILABEL};
static const int head_nout[HEARD_N_HEADS] = {HEARD_N_EMOTIONS, 1, 1, 3, 1, 3, 3, 3, 1, 1, 1,
                                             HEARD_N_EKMAN};

const char *heard_model_head_name(int h)
{
    return h >= 0 && h < HEARD_N_HEADS ? head_names[h] : NULL;
}

const char *heard_model_head_cue(int h)
{
    return h >= 0 && h < HEARD_N_HEADS ? head_cues[h] : NULL;
}

int heard_model_head_index(const char *name)
{
    for (int i = 0; i < HEARD_N_HEADS; i++)
        if (strcmp(name, head_names[i]) == 0)
            return i;
    return -1;
}

int heard_model_has_head(const heard_model *m, int h)
{
    return m && h >= 0 && h < HEARD_N_HEADS && m->present[h];
}

/* ---- byte order helpers (the format is little endian) ------------------ */

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static float rdf(const unsigned char *p)
{
    uint32_t u = rd32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

static void wrf(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    wr32(p, u);
}

static int host_is_le(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* FNV-1a 64 over little-endian 64-bit words. Every load checks the whole
 * file (10 MB), so the loop is unrolled: the multiply chain is serial
 * anyway, and this drops the loop's own instructions (same value). */
static uint64_t checksum(const unsigned char *p, size_t len)
{
    const uint64_t prime = 1099511628211ull;
    uint64_t h = 1469598103934665603ull;
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        h = (h ^ rd64(p + i)) * prime;
        h = (h ^ rd64(p + i + 8)) * prime;
        h = (h ^ rd64(p + i + 16)) * prime;
        h = (h ^ rd64(p + i + 24)) * prime;
        h = (h ^ rd64(p + i + 32)) * prime;
        h = (h ^ rd64(p + i + 40)) * prime;
        h = (h ^ rd64(p + i + 48)) * prime;
        h = (h ^ rd64(p + i + 56)) * prime;
    }
    for (; i + 8 <= len; i += 8) {
        h ^= rd64(p + i);
        h *= 1099511628211ull;
    }
    return h;
}

static size_t pad8(size_t n)
{
    return (n + 7u) & ~(size_t)7u;
}

static size_t head_size(int n_out, int bits, int wtype)
{
    size_t rows = (size_t)1 << bits;
    return REC_SIZE + pad8((size_t)n_out * 12u) +
           pad8(rows * (size_t)n_out * (wtype ? 1u : 4u));
}

/* ---- writing ------------------------------------------------------------ */

heard_status heard_model_write(const char *path, const heard_head_data *heads, size_t n_heads,
                               heard_error *err)
{
    size_t payload = 0;
    for (size_t i = 0; i < n_heads; i++) {
        const heard_head_data *h = &heads[i];
        if (!h->name || strlen(h->name) >= 32 || h->n_outputs < 1 ||
            h->n_outputs > MAX_OUTPUTS || h->hash_bits < 1 ||
            h->hash_bits > HEARD_MODEL_MAX_BITS)
            return heard_fail(err, HEARD_EINVAL, "%s: invalid head %zu", path, i);
        payload += head_size(h->n_outputs, h->hash_bits, h->quantize ? 1 : 0);
    }
    unsigned char *buf = calloc(1, HDR_SIZE + payload);
    if (!buf)
        return heard_fail(err, HEARD_ENOMEM, "out of memory writing %s", path);
    unsigned char *p = buf + HDR_SIZE;
    for (size_t i = 0; i < n_heads; i++) {
        const heard_head_data *h = &heads[i];
        int n = h->n_outputs, wt = h->quantize ? 1 : 0;
        size_t rows = (size_t)1 << h->hash_bits;
        memcpy(p, h->name, strlen(h->name));
        wr32(p + 32, (uint32_t)h->kind);
        wr32(p + 36, (uint32_t)n);
        wr32(p + 40, (uint32_t)h->hash_bits);
        wr32(p + 44, (uint32_t)wt);
        wrf(p + 48, h->lo);
        wrf(p + 52, h->hi);
        unsigned char *q = p + REC_SIZE;
        float scale[MAX_OUTPUTS];
        for (int o = 0; o < n; o++) {
            float mx = 0;
            if (wt)
                for (size_t r = 0; r < rows; r++) {
                    float a = fabsf(h->weights[r * (size_t)n + (size_t)o]);
                    if (a > mx)
                        mx = a;
                }
            scale[o] = wt ? (mx > 0 ? mx / 127.0f : 1.0f) : 1.0f;
            wrf(q + 4 * o, h->bias[o]);
            wrf(q + 4 * (n + o), h->threshold ? h->threshold[o] : 0.5f);
            wrf(q + 4 * (2 * n + o), scale[o]);
        }
        q += pad8((size_t)n * 12u);
        for (size_t r = 0; r < rows; r++)
            for (int o = 0; o < n; o++) {
                float w = h->weights[r * (size_t)n + (size_t)o];
                size_t k = r * (size_t)n + (size_t)o;
                if (wt) {
                    long v = lrintf(w / scale[o]);
                    q[k] = (unsigned char)(int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
                } else {
                    wrf(q + 4 * k, w);
                }
            }
        p += head_size(n, h->hash_bits, wt);
    }
    memcpy(buf, "HRDM", 4);
    wr32(buf + 4, HEARD_MODEL_VERSION);
    wr32(buf + 8, (uint32_t)n_heads);
    wr64(buf + 16, payload);
    wr64(buf + 24, checksum(buf + HDR_SIZE, payload));

    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        free(buf);
        return heard_fail(err, HEARD_EINVAL, "path too long: %s", path);
    }
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        free(buf);
        return heard_fail(err, HEARD_EIO, "cannot write %s: %s", tmp, strerror(errno));
    }
    size_t total = HDR_SIZE + payload;
    int ok = fwrite(buf, 1, total, fp) == total;
    ok &= fclose(fp) == 0;
    free(buf);
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return heard_fail(err, HEARD_EIO, "cannot write %s", path);
    }
    return HEARD_OK;
}

/* ---- loading ------------------------------------------------------------ */

static heard_status parse_file(heard_model *m, const char *path, const unsigned char *b,
                               size_t len, heard_error *err)
{
    if (len < HDR_SIZE)
        return heard_fail(err, HEARD_EMODEL, "model file %s is truncated (%zu bytes)", path, len);
    if (memcmp(b, "HRDM", 4) != 0)
        return heard_fail(err, HEARD_EMODEL, "model file %s: not a heard model (bad magic)", path);
    uint32_t ver = rd32(b + 4);
    if (ver != HEARD_MODEL_VERSION)
        return heard_fail(err, HEARD_EMODEL, "model file %s: format version %u, expected %u", path,
                    ver, HEARD_MODEL_VERSION);
    uint32_t n_heads = rd32(b + 8);
    uint64_t payload = rd64(b + 16);
    if (payload != len - HDR_SIZE)
        return heard_fail(err, HEARD_EMODEL,
                    "model file %s is truncated or padded: payload %llu bytes, file has %zu",
                    path, (unsigned long long)payload, len - HDR_SIZE);
    if (checksum(b + HDR_SIZE, (size_t)payload) != rd64(b + 24))
        return heard_fail(err, HEARD_EMODEL, "model file %s is corrupt (checksum mismatch)", path);
    const unsigned char *p = b + HDR_SIZE, *end = b + len;
    for (uint32_t i = 0; i < n_heads; i++) {
        if ((size_t)(end - p) < REC_SIZE)
            return heard_fail(err, HEARD_EMODEL, "model file %s: head %u is truncated", path, i);
        char name[33];
        memcpy(name, p, 32);
        name[32] = 0;
        int kind = (int)rd32(p + 32), n = (int)rd32(p + 36), bits = (int)rd32(p + 40);
        int wt = (int)rd32(p + 44);
        if (n < 1 || n > MAX_OUTPUTS || bits < 1 || bits > HEARD_MODEL_MAX_BITS || wt < 0 ||
            wt > 1 || kind < 0 || kind > HEARD_KIND_REGRESSION)
            return heard_fail(err, HEARD_EMODEL, "model file %s: head '%s' has an invalid header", path,
                        name);
        size_t sz = head_size(n, bits, wt);
        if ((size_t)(end - p) < sz)
            return heard_fail(err, HEARD_EMODEL, "model file %s: head '%s' is truncated", path, name);
        int id = heard_model_head_index(name);
        if (id >= 0) {
            if (kind != head_kind[id] || n != head_nout[id])
                return heard_fail(err, HEARD_EMODEL,
                            "model file %s: head '%s' has kind %d with %d outputs, expected "
                            "kind %d with %d",
                            path, name, kind, n, head_kind[id], head_nout[id]);
            head *h = &m->heads[id];
            h->kind = kind;
            h->n_out = n;
            h->bits = bits;
            h->wtype = wt;
            h->lo = rdf(p + 48);
            h->hi = rdf(p + 52);
            h->bias = (const float *)(const void *)(p + REC_SIZE);
            h->thr = h->bias + n;
            h->scale = h->bias + 2 * n;
            h->w = p + REC_SIZE + pad8((size_t)n * 12u);
            m->present[id] = 1; /* a later file overrides an earlier one */
            m->present_mask |= 1u << id;
        }
        p += sz;
    }
    if (p != end)
        return heard_fail(err, HEARD_EMODEL, "model file %s: %zu trailing bytes", path,
                    (size_t)(end - p));
    return HEARD_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static heard_status map_file(heard_model *m, const char *path, heard_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return heard_fail(err, HEARD_EIO, "cannot open model file %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return heard_fail(err, HEARD_EIO, "cannot read model file %s", path);
    }
    size_t len = (size_t)sb.st_size;
    if (len == 0) {
        close(fd);
        return heard_fail(err, HEARD_EMODEL, "model file %s is empty", path);
    }
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return heard_fail(err, HEARD_EIO, "cannot map model file %s: %s", path, strerror(errno));
    m->maps[m->n_maps].p = p;
    m->maps[m->n_maps].len = len;
    m->n_maps++;
    return parse_file(m, path, p, len, err);
}

static void build_packs(heard_model *m);
static rows_fn pick_rows(rows2_fn *rows2);
typedef void (*sigmoids_fn)(const float *z, float *p, int n);
static sigmoids_fn pick_sigmoids(void);
static void sigmoids_libm(const float *z, float *p, int n);

heard_status heard_model_load(const char *dir, heard_model **out, heard_error *err)
{
    *out = NULL;
    if (!host_is_le())
        return heard_fail(err, HEARD_EMODEL, "model files need a little-endian host");
    DIR *d = opendir(dir);
    if (!d)
        return heard_fail(err, HEARD_EIO, "no model: cannot open directory %s", dir);
    char *names[MAX_FILES];
    size_t n = 0;
    struct dirent *e;
    heard_status st = HEARD_OK;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".hm") != 0 || e->d_name[0] == '.')
            continue;
        if (n == MAX_FILES) {
            st = heard_fail(err, HEARD_EMODEL, "too many model files in %s", dir);
            break;
        }
        if (!(names[n] = strdup(e->d_name))) {
            st = heard_fail(err, HEARD_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    heard_model *m = NULL;
    if (st == HEARD_OK && n == 0)
        st = heard_fail(err, HEARD_EIO, "no model: no .hm files in %s", dir);
    if (st == HEARD_OK && !(m = calloc(1, sizeof *m)))
        st = heard_fail(err, HEARD_ENOMEM, "out of memory");
    if (st == HEARD_OK) {
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n && st == HEARD_OK; i++) {
            char path[4096];
            if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
                st = heard_fail(err, HEARD_EINVAL, "model path too long in %s", dir);
            else
                st = map_file(m, path, err);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    if (st != HEARD_OK) {
        heard_model_free(m);
        return st;
    }
    build_packs(m);
    m->rows = pick_rows(&m->rows2);
    m->sigmoids = pick_sigmoids();
    m->fast_exp = m->sigmoids != sigmoids_libm;
    *out = m;
    return HEARD_OK;
}

void heard_model_free(heard_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_maps; i++)
        munmap(m->maps[i].p, m->maps[i].len);
    for (int k = 0; k < N_PACKS; k++)
        free(m->packs[k].w);
    free(m);
}

/* A pack is read at random, one row per feature: with 4 KiB pages nearly
 * every row is also a TLB miss, so ask for huge pages where the kernel
 * offers them on request (THP "madvise"). Freed with free(). */
static int8_t *alloc_table(size_t len)
{
    const size_t huge = (size_t)2 << 20;
    len += 64; /* room for the kernels to read past the last row */
    if (len >= huge) {
        size_t rounded = (len + huge - 1) / huge * huge;
        void *w = aligned_alloc(huge, rounded);
        if (w) {
#ifdef MADV_HUGEPAGE
            (void)madvise(w, rounded, MADV_HUGEPAGE);
#endif
            return w;
        }
    }
    return aligned_alloc(64, (len + 63) / 64 * 64);
}

/* Copy nrows rows of ho bytes (src rows packed, dst rows dstride apart) with
 * two fixed-size copies per row that overlap in the middle: exact, so no
 * write lands outside the head's columns, and the compiler inlines them
 * (a memcpy call per row made this most of the load time). */
static void copy_rows(int8_t *dst, size_t dstride, const int8_t *src, size_t ho, size_t nrows)
{
    /* four rows an iteration: the loop's own instructions were as many as
     * the copies' */
#define COPY_ROW(D, S, K)                                                                    \
    do {                                                                                     \
        memcpy((D), (S), K);                                                                 \
        memcpy((D) + ho - (K), (S) + ho - (K), K);                                           \
    } while (0)
#define COPY_ROWS(K)                                                                         \
    do {                                                                                     \
        size_t r = 0;                                                                        \
        for (; r + 4 <= nrows; r += 4, dst += 4 * dstride, src += 4 * ho) {                  \
            COPY_ROW(dst, src, K);                                                           \
            COPY_ROW(dst + dstride, src + ho, K);                                            \
            COPY_ROW(dst + 2 * dstride, src + 2 * ho, K);                                    \
            COPY_ROW(dst + 3 * dstride, src + 3 * ho, K);                                    \
        }                                                                                    \
        for (; r < nrows; r++, dst += dstride, src += ho)                                    \
            COPY_ROW(dst, src, K);                                                           \
    } while (0)
    if (ho == 1) {
        size_t r = 0;
        for (; r + 4 <= nrows; r += 4, dst += 4 * dstride) {
            dst[0] = src[r];
            dst[dstride] = src[r + 1];
            dst[2 * dstride] = src[r + 2];
            dst[3 * dstride] = src[r + 3];
        }
        for (; r < nrows; r++, dst += dstride)
            dst[0] = src[r];
    } else if (ho < 4)
        COPY_ROWS(2);
    else if (ho < 8)
        COPY_ROWS(4);
    else if (ho < 16)
        COPY_ROWS(8);
    else if (ho <= 32)
        COPY_ROWS(16);
    else
        for (size_t r = 0; r < nrows; r++)
            memcpy(dst + r * dstride, src + r * ho, ho);
#undef COPY_ROWS
#undef COPY_ROW
}

/* Copy the heads' rows into the pack, a block of rows at a time (the block
 * of the pack stays in the cache while each head's columns are filled). */
static void fill_pack(const heard_model *m, pack *p, size_t rows)
{
    const size_t block = 1024;
    for (size_t r0 = 0; r0 < rows; r0 += block) {
        size_t nr = rows - r0 < block ? rows - r0 : block;
        for (int k = 0; k < p->n_heads; k++) {
            const head *h = &m->heads[p->hid[k]];
            size_t ho = (size_t)h->n_out;
            copy_rows(p->w + r0 * p->stride + (size_t)p->off[k], p->stride,
                      (const int8_t *)h->w + r0 * ho, ho, nr);
        }
    }
}

/* Pack the present int8 heads of each group that share hash bits: text
 * heads (every turn), customer heads, agent heads. Out of memory just
 * leaves the heads unpacked. */
static void build_packs(heard_model *m)
{
    static const int groups[N_PACKS][6] = {
        {HEARD_HEAD_EMOTIONS, HEARD_HEAD_SENTIMENT, HEARD_HEAD_POLITENESS, HEARD_HEAD_EKMAN, -1},
        {HEARD_HEAD_URGENCY, HEARD_HEAD_BID, -1},
        {HEARD_HEAD_ER, HEARD_HEAD_IP, HEARD_HEAD_EX, HEARD_HEAD_OWNERSHIP,
         HEARD_HEAD_DISMISSIVE, -1}};
    for (int g = 0; g < N_PACKS; g++) {
        pack *p = &m->packs[g];
        memset(p, 0, sizeof *p);
        p->text = g == 0;
        for (int k = 0; groups[g][k] >= 0; k++) {
            int hid = groups[g][k];
            const head *h = &m->heads[hid];
            if (!m->present[hid] || !h->wtype || (p->n_heads && h->bits != p->bits) ||
                p->n_out + h->n_out > MAX_OUTPUTS)
                continue;
            p->bits = h->bits;
            p->hid[p->n_heads] = hid;
            p->off[p->n_heads++] = p->n_out;
            p->n_out += h->n_out;
        }
        if (p->n_heads < 2)
            continue;
        size_t rows = (size_t)1 << p->bits, n = (size_t)p->n_out;
        p->stride = n;
        p->w = alloc_table(rows * n);
        if (!p->w)
            continue;
        fill_pack(m, p, rows);
        memset(p->w + rows * n, 0, 64); /* what the kernels read past the last row */
        for (int k = 0; k < p->n_heads; k++) {
            const head *h = &m->heads[p->hid[k]];
            for (int o = 0; o < h->n_out; o++) {
                p->scale[p->off[k] + o] = h->scale[o];
                p->bias[p->off[k] + o] = h->bias[o];
            }
            p->heads |= 1u << p->hid[k];
            m->packed[p->hid[k]] = g + 1;
        }
    }
}

int heard_model_head_copy(const heard_model *m, int hid, float **weights, float *bias,
                          float *threshold)
{
    *weights = NULL;
    if (!heard_model_has_head(m, hid))
        return -1;
    const head *h = &m->heads[hid];
    size_t rows = (size_t)1 << h->bits, n = (size_t)h->n_out;
    float *w = malloc(rows * n * sizeof *w);
    if (!w)
        return -1;
    for (size_t r = 0; r < rows; r++)
        for (size_t o = 0; o < n; o++)
            w[r * n + o] = h->wtype ? (float)((const int8_t *)h->w)[r * n + o] * h->scale[o]
                                    : ((const float *)h->w)[r * n + o];
    for (size_t o = 0; o < n; o++) {
        bias[o] = h->bias[o];
        threshold[o] = h->thr[o];
    }
    *weights = w;
    return h->bits;
}

/* ---- prediction --------------------------------------------------------- */

static float sigmoid(float z)
{
    return 1.0f / (1.0f + expf(-z));
}

static inline float weight(const head *h, uint32_t row, int o)
{
    size_t k = (size_t)row * (size_t)h->n_out + (size_t)o;
    if (h->wtype)
        return (float)((const int8_t *)h->w)[k] * h->scale[o];
    return ((const float *)h->w)[k];
}

/* Feature range a head reads: text heads only the speaker-independent core. */
static size_t n_feats(int hid, const heard_features *f)
{
    int text = hid == HEARD_HEAD_EMOTIONS || hid == HEARD_HEAD_SENTIMENT ||
               hid == HEARD_HEAD_POLITENESS || hid == HEARD_HEAD_EKMAN;
    return text && f->n_core ? f->n_core : f->n;
}

static void scores(const head *h, const heard_features *f, size_t nf, float *z)
{
    int n = h->n_out;
    float acc[MAX_OUTPUTS];
    for (int o = 0; o < n; o++)
        acc[o] = 0;
    uint32_t mask = (1u << h->bits) - 1u;
    if (h->wtype) {
        const int8_t *w = h->w;
        for (size_t i = 0; i < nf; i++) {
            const int8_t *row = w + (size_t)(f->f[i].id & mask) * (size_t)n;
            float v = f->f[i].value;
            for (int o = 0; o < n; o++)
                acc[o] += (float)row[o] * v;
        }
        for (int o = 0; o < n; o++)
            z[o] = h->bias[o] + acc[o] * h->scale[o];
    } else {
        const float *w = h->w;
        for (size_t i = 0; i < nf; i++) {
            const float *row = w + (size_t)(f->f[i].id & mask) * (size_t)n;
            float v = f->f[i].value;
            for (int o = 0; o < n; o++)
                acc[o] += row[o] * v;
        }
        for (int o = 0; o < n; o++)
            z[o] = h->bias[o] + acc[o];
    }
}

static int argmax3(const float *p)
{
    int b = 0;
    for (int k = 1; k < 3; k++)
        if (p[k] > p[b])
            b = k;
    return b;
}

/* Append the two best positive contributions of (head, output) in sign
 * direction dir to out->top. */
static void add_top(const head *h, int hid, int o, float dir, const heard_features *f,
                    heard_model_out *out)
{
    int best[2] = {-1, -1};
    float bw[2] = {0, 0};
    size_t nf = n_feats(hid, f);
    for (size_t i = 0; i < nf; i++) {
        const heard_feature *x = &f->f[i];
        if (x->first == HEARD_NO_SPAN || x->last <= x->first)
            continue;
        float c = dir * weight(h, heard_model_row(x->id, h->bits), o) * x->value;
        if (c <= bw[1])
            continue;
        if (c > bw[0]) {
            if (best[0] >= 0 && (f->f[best[0]].first != x->first ||
                                 f->f[best[0]].last != x->last)) {
                best[1] = best[0];
                bw[1] = bw[0];
            }
            best[0] = (int)i;
            bw[0] = c;
        } else if (best[0] < 0 || f->f[best[0]].first != x->first ||
                   f->f[best[0]].last != x->last) {
            best[1] = (int)i;
            bw[1] = c;
        }
    }
    for (int k = 0; k < 2 && out->n_top < 8; k++) {
        if (best[k] < 0)
            continue;
        const heard_feature *x = &f->f[best[k]];
        out->top[out->n_top].first = x->first;
        out->top[out->n_top].last = x->last;
        out->top[out->n_top].weight = bw[k];
        out->top[out->n_top].head = (uint16_t)hid;
        out->top[out->n_top].output = (uint16_t)o;
        out->n_top++;
    }
}

static void set_nan(heard_model_out *out)
{
    float nan = NAN;
    for (int i = 0; i < HEARD_N_EMOTIONS; i++)
        out->emotions[i] = out->emotion_threshold[i] = nan;
    for (int i = 0; i < HEARD_N_EKMAN; i++)
        out->ekman[i] = out->ekman_threshold[i] = nan;
    out->sentiment = out->politeness = out->bid = out->ownership = out->dismissive = nan;
    out->bid_threshold = out->ownership_threshold = out->dismissive_threshold = nan;
    out->felt_heard = nan;
    for (int k = 0; k < 3; k++)
        out->urgency[k] = out->emotional_reaction[k] = out->interpretation[k] =
            out->exploration[k] = nan;
    out->n_top = 0;
}

/* ---- summing packed rows ------------------------------------------------
 * acc[o] = sum over features of (float)row[o] * value, in feature order, one
 * float multiply and add per output and feature: the SIMD kernels compute
 * lane by lane what the scalar loop computes, so every result is the same
 * to the bit (no FMA: a fused multiply-add rounds once and would differ).
 * The kernels read whole 4- or 8-byte groups, up to 7 bytes past a row
 * (alloc_table leaves room at the end of the table); acc has room for
 * n_out rounded up to 8, and the extra lanes are ignored. */

/* rows a few features ahead are random accesses into megabytes: fetch them
 * while this one is summed; a row may straddle two cache lines, so fetch
 * its first and last byte */
static inline void prefetch_row(const pack *p, const heard_feature *x, uint32_t mask)
{
    const int8_t *r = p->w + (size_t)(x->id & mask) * p->stride;
    PREFETCH(r);
    PREFETCH(r + p->n_out - 1);
}

static inline void prefetch_first(const pack *p, const heard_feature *f, size_t nf,
                                  uint32_t mask)
{
    for (size_t i = 0; i < PREFETCH_AHEAD && i < nf; i++)
        prefetch_row(p, &f[i], mask);
}

static void rows_plain(const pack *p, const heard_feature *f, size_t nf, float *acc)
{
    int n = p->n_out;
    uint32_t mask = (1u << p->bits) - 1u;
    for (int o = 0; o < n; o++)
        acc[o] = 0;
    prefetch_first(p, f, nf, mask);
    for (size_t i = 0; i < nf; i++) {
        if (i + PREFETCH_AHEAD < nf)
            prefetch_row(p, &f[i + PREFETCH_AHEAD], mask);
        const int8_t *row = p->w + (size_t)(f[i].id & mask) * p->stride;
        float v = f[i].value;
        for (int o = 0; o < n; o++)
            acc[o] += (float)row[o] * v;
    }
}

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HAVE_X86_KERNELS 1
#include <immintrin.h>

/* SSE2 (every x86-64): 4 outputs a group, ng4 groups, the accumulators in
 * registers when ng4 is a constant. */
static inline __attribute__((always_inline)) void
rows_sse2_body(const pack *p, const heard_feature *f, size_t nf, float *acc, const int ng4)
{
    __m128 a[MAX_OUTPUTS / 4];
    uint32_t mask = (1u << p->bits) - 1u;
    size_t stride = p->stride;
    for (int g = 0; g < ng4; g++)
        a[g] = _mm_setzero_ps();
    prefetch_first(p, f, nf, mask);
    for (size_t i = 0; i < nf; i++) {
        if (i + PREFETCH_AHEAD < nf)
            prefetch_row(p, &f[i + PREFETCH_AHEAD], mask);
        const int8_t *row = p->w + (size_t)(f[i].id & mask) * stride;
        __m128 v = _mm_set1_ps(f[i].value);
        for (int g = 0; g < ng4; g++) {
            int32_t b;
            memcpy(&b, row + 4 * g, sizeof b);
            __m128i x = _mm_cvtsi32_si128(b);
            x = _mm_unpacklo_epi8(x, x);
            x = _mm_srai_epi32(_mm_unpacklo_epi16(x, x), 24); /* sign-extend */
            a[g] = _mm_add_ps(a[g], _mm_mul_ps(_mm_cvtepi32_ps(x), v));
        }
    }
    for (int g = 0; g < ng4; g++)
        _mm_storeu_ps(acc + 4 * g, a[g]);
}

static void rows_sse2(const pack *p, const heard_feature *f, size_t nf, float *acc)
{
    switch ((p->n_out + 3) / 4) {
    case 1: rows_sse2_body(p, f, nf, acc, 1); break;
    case 2: rows_sse2_body(p, f, nf, acc, 2); break;
    case 3: rows_sse2_body(p, f, nf, acc, 3); break;
    case 4: rows_sse2_body(p, f, nf, acc, 4); break;
    case 5: rows_sse2_body(p, f, nf, acc, 5); break;
    case 6: rows_sse2_body(p, f, nf, acc, 6); break;
    case 7: rows_sse2_body(p, f, nf, acc, 7); break;
    case 8: rows_sse2_body(p, f, nf, acc, 8); break;
    case 9: rows_sse2_body(p, f, nf, acc, 9); break;
    case 10: rows_sse2_body(p, f, nf, acc, 10); break;
    case 11: rows_sse2_body(p, f, nf, acc, 11); break;
    case 12: rows_sse2_body(p, f, nf, acc, 12); break;
    default: rows_plain(p, f, nf, acc); break;
    }
}

/* SSE4.1: like SSE2, with each group loaded and sign-extended by one
 * pmovsxbd. */
static inline __attribute__((always_inline, target("sse4.1"))) void
rows_sse41_body(const pack *p, const heard_feature *f, size_t nf, float *acc, const int ng4)
{
    __m128 a[MAX_OUTPUTS / 4];
    uint32_t mask = (1u << p->bits) - 1u;
    size_t stride = p->stride;
    for (int g = 0; g < ng4; g++)
        a[g] = _mm_setzero_ps();
    prefetch_first(p, f, nf, mask);
    for (size_t i = 0; i < nf; i++) {
        if (i + PREFETCH_AHEAD < nf)
            prefetch_row(p, &f[i + PREFETCH_AHEAD], mask);
        const int8_t *row = p->w + (size_t)(f[i].id & mask) * stride;
        __m128 v = _mm_set1_ps(f[i].value);
        for (int g = 0; g < ng4; g++) {
            int32_t b;
            memcpy(&b, row + 4 * g, sizeof b);
            __m128i x = _mm_cvtepi8_epi32(_mm_cvtsi32_si128(b));
            a[g] = _mm_add_ps(a[g], _mm_mul_ps(_mm_cvtepi32_ps(x), v));
        }
    }
    for (int g = 0; g < ng4; g++)
        _mm_storeu_ps(acc + 4 * g, a[g]);
}

__attribute__((target("sse4.1"))) static void rows_sse41(const pack *p, const heard_feature *f,
                                                         size_t nf, float *acc)
{
    switch ((p->n_out + 3) / 4) {
    case 1: rows_sse41_body(p, f, nf, acc, 1); break;
    case 2: rows_sse41_body(p, f, nf, acc, 2); break;
    case 3: rows_sse41_body(p, f, nf, acc, 3); break;
    case 4: rows_sse41_body(p, f, nf, acc, 4); break;
    case 5: rows_sse41_body(p, f, nf, acc, 5); break;
    case 6: rows_sse41_body(p, f, nf, acc, 6); break;
    case 7: rows_sse41_body(p, f, nf, acc, 7); break;
    case 8: rows_sse41_body(p, f, nf, acc, 8); break;
    case 9: rows_sse41_body(p, f, nf, acc, 9); break;
    case 10: rows_sse41_body(p, f, nf, acc, 10); break;
    case 11: rows_sse41_body(p, f, nf, acc, 11); break;
    case 12: rows_sse41_body(p, f, nf, acc, 12); break;
    default: rows_plain(p, f, nf, acc); break;
    }
}

/* acc[g] += row group g x v, as rows_sse41_body does it. */
static inline __attribute__((always_inline, target("sse4.1"))) void
add_row_sse41(__m128 *acc, const int8_t *row, __m128 v, const int ng)
{
    for (int g = 0; g < ng; g++) {
        int32_t b;
        memcpy(&b, row + 4 * g, sizeof b);
        __m128i x = _mm_cvtepi8_epi32(_mm_cvtsi32_si128(b));
        acc[g] = _mm_add_ps(acc[g], _mm_mul_ps(_mm_cvtepi32_ps(x), v));
    }
}

/* The text pack pa over the core features f[0, na) and a speaker pack pb
 * over all of them f[0, nb) in one pass: the core features pay the loop,
 * the value broadcast and the prefetch bookkeeping once for both tables,
 * and while the rows are prefetched ahead no bounds check is needed. Each
 * pack's sums are formed in the same order as rows_sse41_body's, so they
 * are the same to the bit. nga + ngb accumulators stay in registers. */
static inline __attribute__((always_inline, target("sse4.1"))) void
rows2_sse41_body(const pack *pa, const pack *pb, const heard_feature *f, size_t na, size_t nb,
                 float *acc_a, float *acc_b, const int nga, const int ngb)
{
    __m128 a[MAX_OUTPUTS / 4], b[MAX_OUTPUTS / 4];
    const uint32_t ma = (1u << pa->bits) - 1u, mb = (1u << pb->bits) - 1u;
    const size_t sa = pa->stride, sb = pb->stride;
    const int8_t *wa = pa->w, *wb = pb->w;
    for (int g = 0; g < nga; g++)
        a[g] = _mm_setzero_ps();
    for (int g = 0; g < ngb; g++)
        b[g] = _mm_setzero_ps();
    prefetch_first(pa, f, na, ma);
    prefetch_first(pb, f, nb, mb);
    size_t i = 0, ahead = na > PREFETCH_AHEAD ? na - PREFETCH_AHEAD : 0;
    for (; i < ahead; i++) {
        prefetch_row(pa, &f[i + PREFETCH_AHEAD], ma);
        prefetch_row(pb, &f[i + PREFETCH_AHEAD], mb);
        __m128 v = _mm_set1_ps(f[i].value);
        uint32_t id = f[i].id;
        add_row_sse41(a, wa + (size_t)(id & ma) * sa, v, nga);
        add_row_sse41(b, wb + (size_t)(id & mb) * sb, v, ngb);
    }
    for (; i < na; i++) {
        if (i + PREFETCH_AHEAD < nb)
            prefetch_row(pb, &f[i + PREFETCH_AHEAD], mb);
        __m128 v = _mm_set1_ps(f[i].value);
        uint32_t id = f[i].id;
        add_row_sse41(a, wa + (size_t)(id & ma) * sa, v, nga);
        add_row_sse41(b, wb + (size_t)(id & mb) * sb, v, ngb);
    }
    for (; i < nb; i++) {
        if (i + PREFETCH_AHEAD < nb)
            prefetch_row(pb, &f[i + PREFETCH_AHEAD], mb);
        add_row_sse41(b, wb + (size_t)(f[i].id & mb) * sb, _mm_set1_ps(f[i].value), ngb);
    }
    for (int g = 0; g < nga; g++)
        _mm_storeu_ps(acc_a + 4 * g, a[g]);
    for (int g = 0; g < ngb; g++)
        _mm_storeu_ps(acc_b + 4 * g, b[g]);
}

/* Variants for a text pack of 29 to 48 outputs (37 now: emotions, ekman,
 * sentiment, politeness) and a speaker pack of up to 12 (customer 4,
 * agent 11); other sizes take the two separate passes. */
__attribute__((target("sse4.1"))) static int rows2_sse41(const pack *pa, const pack *pb,
                                                         const heard_feature *f, size_t na,
                                                         size_t nb, float *acc_a, float *acc_b)
{
    int nga = (pa->n_out + 3) / 4, ngb = (pb->n_out + 3) / 4;
#define R2(A, B)                                                                             \
    case (A) * 4 + (B): rows2_sse41_body(pa, pb, f, na, nb, acc_a, acc_b, (A), (B)); return 1
    switch (nga >= 8 && nga <= 12 && ngb >= 1 && ngb <= 3 ? nga * 4 + ngb : 0) {
        R2(8, 1); R2(8, 2); R2(8, 3); R2(9, 1); R2(9, 2); R2(9, 3);
        R2(10, 1); R2(10, 2); R2(10, 3); R2(11, 1); R2(11, 2); R2(11, 3);
        R2(12, 1); R2(12, 2); R2(12, 3);
    default: return 0;
    }
#undef R2
}

/* AVX2: 8 outputs a group, each loaded and sign-extended by one vpmovsxbd. */
static inline __attribute__((always_inline, target("avx2"))) void
rows_avx2_body(const pack *p, const heard_feature *f, size_t nf, float *acc, const int ng8)
{
    __m256 a[MAX_OUTPUTS / 8];
    uint32_t mask = (1u << p->bits) - 1u;
    size_t stride = p->stride;
    for (int g = 0; g < ng8; g++)
        a[g] = _mm256_setzero_ps();
    prefetch_first(p, f, nf, mask);
    for (size_t i = 0; i < nf; i++) {
        if (i + PREFETCH_AHEAD < nf)
            prefetch_row(p, &f[i + PREFETCH_AHEAD], mask);
        const int8_t *row = p->w + (size_t)(f[i].id & mask) * stride;
        __m256 v = _mm256_set1_ps(f[i].value);
        for (int g = 0; g < ng8; g++) {
            __m128i b = _mm_loadl_epi64((const void *)(row + 8 * g));
            __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
            a[g] = _mm256_add_ps(a[g], _mm256_mul_ps(x, v));
        }
    }
    for (int g = 0; g < ng8; g++)
        _mm256_storeu_ps(acc + 8 * g, a[g]);
}

__attribute__((target("avx2"))) static void rows_avx2(const pack *p, const heard_feature *f,
                                                      size_t nf, float *acc)
{
    switch ((p->n_out + 7) / 8) {
    case 1: rows_avx2_body(p, f, nf, acc, 1); break;
    case 2: rows_avx2_body(p, f, nf, acc, 2); break;
    case 3: rows_avx2_body(p, f, nf, acc, 3); break;
    case 4: rows_avx2_body(p, f, nf, acc, 4); break;
    case 5: rows_avx2_body(p, f, nf, acc, 5); break;
    case 6: rows_avx2_body(p, f, nf, acc, 6); break;
    case 7: rows_avx2_body(p, f, nf, acc, 7); break;
    case 8: rows_avx2_body(p, f, nf, acc, 8); break;
    default: rows_plain(p, f, nf, acc); break;
    }
}
/* acc[g] += row group g x v, as rows_avx2_body does it. */
static inline __attribute__((always_inline, target("avx2"))) void
add_row_avx2(__m256 *acc, const int8_t *row, __m256 v, const int ng)
{
    for (int g = 0; g < ng; g++) {
        __m128i b = _mm_loadl_epi64((const void *)(row + 8 * g));
        __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
        acc[g] = _mm256_add_ps(acc[g], _mm256_mul_ps(x, v));
    }
}

/* rows2_sse41_body with 8 outputs a group: the same sums, to the bit (each
 * output's products are added in the same order, without FMA). */
static inline __attribute__((always_inline, target("avx2"))) void
rows2_avx2_body(const pack *pa, const pack *pb, const heard_feature *f, size_t na, size_t nb,
                float *acc_a, float *acc_b, const int nga, const int ngb)
{
    __m256 a[MAX_OUTPUTS / 8], b[MAX_OUTPUTS / 8];
    const uint32_t ma = (1u << pa->bits) - 1u, mb = (1u << pb->bits) - 1u;
    const size_t sa = pa->stride, sb = pb->stride;
    const int8_t *wa = pa->w, *wb = pb->w;
    for (int g = 0; g < nga; g++)
        a[g] = _mm256_setzero_ps();
    for (int g = 0; g < ngb; g++)
        b[g] = _mm256_setzero_ps();
    prefetch_first(pa, f, na, ma);
    prefetch_first(pb, f, nb, mb);
    size_t i = 0, ahead = na > PREFETCH_AHEAD ? na - PREFETCH_AHEAD : 0;
    for (; i < ahead; i++) {
        prefetch_row(pa, &f[i + PREFETCH_AHEAD], ma);
        prefetch_row(pb, &f[i + PREFETCH_AHEAD], mb);
        __m256 v = _mm256_set1_ps(f[i].value);
        uint32_t id = f[i].id;
        add_row_avx2(a, wa + (size_t)(id & ma) * sa, v, nga);
        add_row_avx2(b, wb + (size_t)(id & mb) * sb, v, ngb);
    }
    for (; i < na; i++) {
        if (i + PREFETCH_AHEAD < nb)
            prefetch_row(pb, &f[i + PREFETCH_AHEAD], mb);
        __m256 v = _mm256_set1_ps(f[i].value);
        uint32_t id = f[i].id;
        add_row_avx2(a, wa + (size_t)(id & ma) * sa, v, nga);
        add_row_avx2(b, wb + (size_t)(id & mb) * sb, v, ngb);
    }
    for (; i < nb; i++) {
        if (i + PREFETCH_AHEAD < nb)
            prefetch_row(pb, &f[i + PREFETCH_AHEAD], mb);
        add_row_avx2(b, wb + (size_t)(f[i].id & mb) * sb, _mm256_set1_ps(f[i].value), ngb);
    }
    for (int g = 0; g < nga; g++)
        _mm256_storeu_ps(acc_a + 8 * g, a[g]);
    for (int g = 0; g < ngb; g++)
        _mm256_storeu_ps(acc_b + 8 * g, b[g]);
}

/* Variants for a text pack of 25 to 48 outputs and a speaker pack of up to
 * 16 (rows2_sse41's sizes); others take the two separate passes. */
__attribute__((target("avx2"))) static int rows2_avx2(const pack *pa, const pack *pb,
                                                      const heard_feature *f, size_t na,
                                                      size_t nb, float *acc_a, float *acc_b)
{
    int nga = (pa->n_out + 7) / 8, ngb = (pb->n_out + 7) / 8;
#define R2(A, B)                                                                             \
    case (A) * 4 + (B): rows2_avx2_body(pa, pb, f, na, nb, acc_a, acc_b, (A), (B)); return 1
    switch (nga >= 4 && nga <= 6 && ngb >= 1 && ngb <= 2 ? nga * 4 + ngb : 0) {
        R2(4, 1); R2(4, 2); R2(5, 1); R2(5, 2); R2(6, 1); R2(6, 2);
    default: return 0;
    }
#undef R2
}
#endif

/* The kernel for this CPU. On AMD cores, AVX2 (8 outputs an instruction,
 * half the instructions of SSE4.1, no lower clock for 256-bit work: 4-5%
 * less CPU time for `heard analyze` on the EPYC of BENCHMARKS.md). On
 * others, 128-bit SSE4.1, else SSE2: on the Xeon we measured, 256-bit float
 * work every few microseconds kept the core at a lower clock and the rest
 * of the analysis slowed down by more than the heads gained (BENCHMARKS.md,
 * "Engine pass perf3"). HEARD_SIMD=avx2|sse41|sse2|plain picks one, for
 * tests and measurements; the forced ones keep the separate passes. */
static rows_fn pick_rows(rows2_fn *rows2)
{
    const char *force = getenv("HEARD_SIMD");
    *rows2 = NULL;
    if (force && strcmp(force, "plain") == 0)
        return rows_plain;
#ifdef HAVE_X86_KERNELS
    __builtin_cpu_init();
    if (force && strcmp(force, "sse2") == 0)
        return rows_sse2;
    if (force && strcmp(force, "avx2") == 0 && __builtin_cpu_supports("avx2"))
        return rows_avx2;
    if (!force && __builtin_cpu_is("amd") && __builtin_cpu_supports("avx2")) {
        *rows2 = rows2_avx2;
        return rows_avx2;
    }
    if (__builtin_cpu_supports("sse4.1")) {
        /* HEARD_SIMD=sse41 keeps the separate passes, for the tests */
        if (!force || strcmp(force, "sse41") != 0)
            *rows2 = rows2_sse41;
        return rows_sse41;
    }
    return rows_sse2;
#else
    return rows_plain;
#endif
}

/* ---- sigmoids without a call per value ------------------------------------
 * The emotions and Ekman heads take 35 sigmoids a turn, each an expf call
 * (about 40 instructions with the call), and each softmax three exps. glibc's expf (since 2.27; on
 * x86-64 with FMA and AVX2 its FMA variant) is a short fixed sequence of
 * double operations on a 32-entry table; the same sequence two lanes at a
 * time gives the same bits (checked against glibc 2.36's expf for all 2^32
 * inputs). It is used only when the expf at hand gives these bits on probe
 * inputs where that sequence differs from glibc's other variant and from
 * correct rounding, so another libm, a glibc told not to use FMA or a
 * changed algorithm keeps the plain expf calls. */
#ifdef HAVE_X86_KERNELS
static const uint64_t exp2f_tab[32] = {
    0x3ff0000000000000ull, 0x3fefd9b0d3158574ull, 0x3fefb5586cf9890full, 0x3fef9301d0125b51ull,
    0x3fef72b83c7d517bull, 0x3fef54873168b9aaull, 0x3fef387a6e756238ull, 0x3fef1e9df51fdee1ull,
    0x3fef06fe0a31b715ull, 0x3feef1a7373aa9cbull, 0x3feedea64c123422ull, 0x3feece086061892dull,
    0x3feebfdad5362a27ull, 0x3feeb42b569d4f82ull, 0x3feeab07dd485429ull, 0x3feea47eb03a5585ull,
    0x3feea09e667f3bcdull, 0x3fee9f75e8ec5f74ull, 0x3feea11473eb0187ull, 0x3feea589994cce13ull,
    0x3feeace5422aa0dbull, 0x3feeb737b0cdc5e5ull, 0x3feec49182a3f090ull, 0x3feed503b23e255dull,
    0x3feee89f995ad3adull, 0x3feeff76f2fb5e47ull, 0x3fef199bdd85529cull, 0x3fef3720dcef9069ull,
    0x3fef5818dcfba487ull, 0x3fef7c97337b9b5full, 0x3fefa4afa2a490daull, 0x3fefd0765b6e4540ull};

/* expf of two floats (low lanes of x), glibc's steps for |x| < 88: x/ln2
 * scaled by 32 rounded to k, 2^(k/32) from the table and the exponent,
 * a cubic in the remainder. */
static inline __attribute__((always_inline, target("sse4.1,fma"))) __m128d
expf2_fma(__m128 x)
{
    const __m128d inv = _mm_set1_pd(0x1.71547652b82fep+5), shift = _mm_set1_pd(0x1.8p+52);
    __m128d xd = _mm_cvtps_pd(x);
    __m128d kd = _mm_fmadd_pd(inv, xd, shift);
    __m128i ki = _mm_castpd_si128(kd);
    kd = _mm_sub_pd(kd, shift);
    __m128d r = _mm_fmsub_pd(inv, xd, kd);
    uint64_t k0 = (uint64_t)_mm_cvtsi128_si64(ki), k1 = (uint64_t)_mm_extract_epi64(ki, 1);
    __m128i t = _mm_set_epi64x((long long)exp2f_tab[k1 % 32], (long long)exp2f_tab[k0 % 32]);
    __m128d s = _mm_castsi128_pd(_mm_add_epi64(t, _mm_slli_epi64(ki, 47)));
    __m128d z = _mm_fmadd_pd(_mm_set1_pd(0x1.c6af84b912394p-20), r,
                             _mm_set1_pd(0x1.ebfce50fac4f3p-13));
    __m128d r2 = _mm_mul_pd(r, r);
    __m128d y = _mm_fmadd_pd(_mm_set1_pd(0x1.62e42ff0c52d6p-6), r, _mm_set1_pd(1.0));
    y = _mm_fmadd_pd(z, r2, y);
    return _mm_mul_pd(y, s);
}

/* 1 / (1 + expf(-z)) of four values, or 0 when one of them is a value
 * glibc's expf treats apart (|z| >= 88, NaN: the caller calls expf). */
static inline __attribute__((always_inline, target("sse4.1,fma"))) int
sigmoid4_fma(const float *z, float *p)
{
    const __m128i big = _mm_set1_epi32(0x42afffff); /* |x| >= 88: top12 >= 0x42b */
    __m128 x = _mm_xor_ps(_mm_loadu_ps(z), _mm_set1_ps(-0.0f));
    __m128i ax = _mm_and_si128(_mm_castps_si128(x), _mm_set1_epi32(0x7fffffff));
    if (_mm_movemask_epi8(_mm_cmpgt_epi32(ax, big)))
        return 0;
    __m128 e = _mm_movelh_ps(_mm_cvtpd_ps(expf2_fma(x)),
                             _mm_cvtpd_ps(expf2_fma(_mm_movehl_ps(x, x))));
    const __m128 one = _mm_set1_ps(1.0f);
    _mm_storeu_ps(p, _mm_div_ps(one, _mm_add_ps(one, e)));
    return 1;
}

/* p[i] = 1 / (1 + expf(-z[i])), i < n, four at a time. */
__attribute__((target("sse4.1,fma"))) static void sigmoids_fma(const float *z, float *p, int n)
{
    int i = 0;
    for (; i + 4 <= n; i += 4)
        if (!sigmoid4_fma(z + i, p + i))
            for (int k = i; k < i + 4; k++)
                p[k] = sigmoid(z[k]);
    if (i < n) { /* the last 1-3 through a padded copy */
        float zt[4] = {0, 0, 0, 0}, pt[4];
        memcpy(zt, z + i, (size_t)(n - i) * sizeof *zt);
        if (sigmoid4_fma(zt, pt))
            memcpy(p + i, pt, (size_t)(n - i) * sizeof *pt);
        else
            for (int k = i; k < n; k++)
                p[k] = sigmoid(z[k]);
    }
}

/* y[k] = expf(x[k]) for k < 4, or 0 when one is a value glibc treats
 * apart (the caller calls expf). */
__attribute__((target("sse4.1,fma"))) static int exp4_fma(const float *x, float *y)
{
    __m128 v = _mm_loadu_ps(x);
    __m128i ax = _mm_and_si128(_mm_castps_si128(v), _mm_set1_epi32(0x7fffffff));
    if (_mm_movemask_epi8(_mm_cmpgt_epi32(ax, _mm_set1_epi32(0x42afffff))))
        return 0;
    _mm_storeu_ps(y, _mm_movelh_ps(_mm_cvtpd_ps(expf2_fma(v)),
                                   _mm_cvtpd_ps(expf2_fma(_mm_movehl_ps(v, v)))));
    return 1;
}

/* Whether this process's expf is the sequence sigmoids_fma copies: inputs
 * where it is not correctly rounded, or where the variant without FMA
 * rounds differently (found by search; float bits). */
__attribute__((target("sse4.1,fma"))) static int expf_is_glibc_fma(void)
{
    static const uint32_t probe[] = {0x4202422fu, 0xc27c65d9u, 0x37ff7f01u, 0x38ad9e29u,
                                     0x38e69cc1u, 0x38efdc7du, 0x38fddc11u};
    for (size_t i = 0; i < sizeof probe / sizeof *probe; i++) {
        float x, want, got;
        memcpy(&x, &probe[i], sizeof x);
        want = _mm_cvtss_f32(_mm_cvtpd_ps(expf2_fma(_mm_set1_ps(x))));
        got = expf(x);
        if (memcmp(&want, &got, sizeof want) != 0)
            return 0;
    }
    return 1;
}
#endif

static void sigmoids_libm(const float *z, float *p, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = sigmoid(z[i]);
}

/* sigmoids_fma where the CPU has what glibc picks its FMA variant for (FMA
 * and AVX2) and expf passes the probes; HEARD_SIMD=plain|sse2 keeps expf. */
static sigmoids_fn pick_sigmoids(void)
{
#ifdef HAVE_X86_KERNELS
    const char *force = getenv("HEARD_SIMD");
    if (force && (strcmp(force, "plain") == 0 || strcmp(force, "sse2") == 0))
        return sigmoids_libm;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("sse4.1") && expf_is_glibc_fma())
        return sigmoids_fma;
#endif
    return sigmoids_libm;
}

/* y[k] = expf(x[k]) for k < 4. */
static void exp4(const heard_model *m, const float *x, float *y)
{
#ifdef HAVE_X86_KERNELS
    if (m->fast_exp && exp4_fma(x, y))
        return;
#else
    (void)m;
#endif
    for (int k = 0; k < 4; k++)
        y[k] = expf(x[k]);
}

static void softmax3(const heard_model *m, const float *z, float *p)
{
    float mx = z[0] > z[1] ? z[0] : z[1];
    mx = mx > z[2] ? mx : z[2];
    float x[4] = {z[0] - mx, z[1] - mx, z[2] - mx, 0}, e[4];
    exp4(m, x, e);
    float s = 0;
    for (int k = 0; k < 3; k++)
        s += (p[k] = e[k]);
    for (int k = 0; k < 3; k++)
        p[k] /= s;
}

/* Raw scores of a pack's columns from its row sums (the heads' scores in
 * pack order, head k's at z + off[k]): one loop over the columns. */
static void acc_to_scores(const pack *p, const float *acc, float *z)
{
    for (int o = 0; o < p->n_out; o++)
        z[o] = p->bias[o] + acc[o] * p->scale[o];
}

/* Raw scores of a pack's columns into z. */
static void pack_scores(const heard_model *m, const pack *p, const heard_features *f, float *z)
{
    float acc[MAX_OUTPUTS + 8];
    size_t nf = p->text && f->n_core ? f->n_core : f->n;
    m->rows(p, f->f, nf, acc);
    acc_to_scores(p, acc, z);
}

/* pack_scores for the text pack pa and a speaker pack pb in one pass of
 * m->rows2; 0 when it has no variant for their sizes (nothing done). */
static int pack_scores2(const heard_model *m, const pack *pa, const pack *pb,
                        const heard_features *f, float *za, float *zb)
{
    float acc_a[MAX_OUTPUTS + 8], acc_b[MAX_OUTPUTS + 8];
    size_t na = f->n_core ? f->n_core : f->n;
    if (!m->rows2(pa, pb, f->f, na, f->n, acc_a, acc_b))
        return 0;
    acc_to_scores(pa, acc_a, za);
    acc_to_scores(pb, acc_b, zb);
    return 1;
}

void heard_model_predict_heads(const heard_model *m, const heard_features *f, uint32_t heads,
                               int with_top, heard_model_out *out)
{
    set_nan(out);
    if (!m || !f)
        return;
    float zp[N_PACKS][MAX_OUTPUTS];       /* packs' scores, pack order */
    float zs[HEARD_N_HEADS][MAX_OUTPUTS]; /* heads evaluated alone */
    const float *zh[HEARD_N_HEADS] = {0}; /* where each head's scores are */
    heads &= m->present_mask;
    int want[N_PACKS];
    for (int g = 0; g < N_PACKS; g++)
        want[g] = (heads & m->packs[g].heads) != 0;
    /* the text pack and the first speaker pack wanted in one pass */
    for (int g = 1; g < N_PACKS && want[0] && m->rows2; g++) {
        if (!want[g])
            continue;
        if (pack_scores2(m, &m->packs[0], &m->packs[g], f, zp[0], zp[g]))
            want[0] = want[g] = -1;
        break;
    }
    for (int g = 0; g < N_PACKS; g++) {
        const pack *p = &m->packs[g];
        if (!want[g])
            continue;
        if (want[g] > 0)
            pack_scores(m, p, f, zp[g]);
        for (int k = 0; k < p->n_heads; k++)
            zh[p->hid[k]] = zp[g] + p->off[k];
    }
    uint32_t todo = heads & ~(1u << HEARD_HEAD_FELT_HEARD | 1u << HEARD_HEAD_SENTIMENT |
                              1u << HEARD_HEAD_POLITENESS);
    for (int hid = 0; hid < HEARD_N_HEADS; hid++) {
        if (!(todo >> hid & 1u))
            continue;
        const head *h = &m->heads[hid];
        const float *z = zh[hid];
        if (!z) {
            scores(h, f, n_feats(hid, f), zs[hid]);
            z = zs[hid];
        }
        float *multi = NULL, *bin = NULL, *bthr = NULL;
        switch (hid) {
        case HEARD_HEAD_EMOTIONS:
            m->sigmoids(z, out->emotions, HEARD_N_EMOTIONS);
            memcpy(out->emotion_threshold, h->thr, sizeof out->emotion_threshold);
            for (int o = 0; o < HEARD_N_EMOTIONS - 1 && with_top; o++)
                if (out->emotions[o] >= h->thr[o])
                    add_top(h, hid, o, 1.0f, f, out);
            continue;
        case HEARD_HEAD_EKMAN:
            m->sigmoids(z, out->ekman, HEARD_N_EKMAN);
            memcpy(out->ekman_threshold, h->thr, sizeof out->ekman_threshold);
            continue;
        case HEARD_HEAD_URGENCY: multi = out->urgency; break;
        case HEARD_HEAD_ER: multi = out->emotional_reaction; break;
        case HEARD_HEAD_IP: multi = out->interpretation; break;
        case HEARD_HEAD_EX: multi = out->exploration; break;
        case HEARD_HEAD_BID: bin = &out->bid, bthr = &out->bid_threshold; break;
        case HEARD_HEAD_OWNERSHIP: bin = &out->ownership, bthr = &out->ownership_threshold; break;
        case HEARD_HEAD_DISMISSIVE:
            bin = &out->dismissive, bthr = &out->dismissive_threshold;
            break;
        default: continue;
        }
        if (multi) {
            softmax3(m, z, multi);
            int c = argmax3(multi);
            if (c > 0 && with_top)
                add_top(h, hid, c, 1.0f, f, out);
        } else {
            *bin = sigmoid(z[0]);
            *bthr = h->thr[0];
            if (*bin >= h->thr[0] && with_top)
                add_top(h, hid, 0, 1.0f, f, out);
        }
    }
    /* regression heads last: their evidence only fills what room is left */
    for (int hid = HEARD_HEAD_SENTIMENT; hid <= HEARD_HEAD_POLITENESS; hid++) {
        if (!(heads >> hid & 1u))
            continue;
        const head *h = &m->heads[hid];
        const float *z = zh[hid];
        if (!z) {
            scores(h, f, n_feats(hid, f), zs[hid]);
            z = zs[hid];
        }
        float y = z[0] < h->lo ? h->lo : z[0] > h->hi ? h->hi : z[0];
        if (hid == HEARD_HEAD_SENTIMENT)
            out->sentiment = y;
        else
            out->politeness = y;
        if (fabsf(y) > 0.1f && with_top)
            add_top(h, hid, 0, y > 0 ? 1.0f : -1.0f, f, out);
    }
}

void heard_model_predict(const heard_model *m, const heard_features *f, heard_model_out *out)
{
    heard_model_predict_heads(m, f, ~0u, 1, out);
}

/* Contributions dir x weight x value of features f[0, nf) to one output
 * (the packed copy of the weights when there is one: its rows were just
 * read by the prediction and are likely still cached), 0 for a feature
 * without a token span. No branch per feature: about half the
 * contributions are negative, a branch on the sign mispredicts. */
static void contributions(const heard_model *m, int hid, int o, float dir,
                          const heard_feature *f, size_t nf, float *c)
{
    const head *h = &m->heads[hid];
    const pack *p = m->packed[hid] ? &m->packs[m->packed[hid] - 1] : NULL;
    uint32_t mask = (1u << h->bits) - 1u;
    if (p) {
        int po = 0;
        for (int k = 0; k < p->n_heads; k++)
            if (p->hid[k] == hid)
                po = p->off[k] + o;
        const int8_t *w = p->w + po;
        float sc = p->scale[po];
        if (dir == 1.0f || dir == -1.0f) {
            /* dir x (w x sc) = w x (dir x sc) exactly when dir is +-1 (a
             * sign flip): one multiply less a feature */
            float dsc = dir * sc;
            size_t i = 0;
#ifdef HAVE_X86_KERNELS
            /* four features a step: the weights are fetched one by one,
             * the rest lane by lane with the same multiplies */
            const __m128 vdsc = _mm_set1_ps(dsc), onef = _mm_set1_ps(1.0f);
            const __m128i flip = _mm_set1_epi32(INT32_MIN);
            _Static_assert(sizeof(heard_feature) == 16, "a feature is 4 x 32 bits");
            for (; i + 4 <= nf; i += 4) {
                const heard_feature *x = f + i;
                __m128i wi = _mm_setr_epi32(w[(size_t)(x[0].id & mask) * p->stride],
                                            w[(size_t)(x[1].id & mask) * p->stride],
                                            w[(size_t)(x[2].id & mask) * p->stride],
                                            w[(size_t)(x[3].id & mask) * p->stride]);
                __m128 r0 = _mm_loadu_ps((const float *)(const void *)&x[0]);
                __m128 r1 = _mm_loadu_ps((const float *)(const void *)&x[1]);
                __m128 r2 = _mm_loadu_ps((const float *)(const void *)&x[2]);
                __m128 r3 = _mm_loadu_ps((const float *)(const void *)&x[3]);
                _MM_TRANSPOSE4_PS(r0, r1, r2, r3); /* ids, values, firsts, lasts */
                /* last > first, unsigned: compared with the sign bits flipped */
                __m128i span = _mm_cmpgt_epi32(_mm_xor_si128(_mm_castps_si128(r3), flip),
                                               _mm_xor_si128(_mm_castps_si128(r2), flip));
                __m128 ci = _mm_mul_ps(_mm_mul_ps(_mm_cvtepi32_ps(wi), vdsc), r1);
                ci = _mm_mul_ps(ci, _mm_and_ps(_mm_castsi128_ps(span), onef));
                _mm_storeu_ps(c + i, ci);
            }
#endif
            for (; i < nf; i++) {
                float ci = (float)w[(size_t)(f[i].id & mask) * p->stride] * dsc * f[i].value;
                c[i] = ci * (float)(f[i].last > f[i].first);
            }
            return;
        }
        for (size_t i = 0; i < nf; i++) {
            float wv = (float)w[(size_t)(f[i].id & mask) * p->stride] * sc;
            float ci = dir * wv * f[i].value;
            /* a span is last > first (HEARD_NO_SPAN is the largest first);
             * x 0 gives +-0, never kept, like a negative contribution */
            c[i] = ci * (float)(f[i].last > f[i].first);
        }
    } else {
        for (size_t i = 0; i < nf; i++) {
            float ci = dir * weight(h, f[i].id & mask, o) * f[i].value;
            c[i] = ci * (float)(f[i].last > f[i].first);
        }
    }
}

#define EXPLAIN_CHUNK 256

/* Index of the first of c[j, len) not at or below thr, or len: most
 * contributions are, so they are tested eight at a time. */
static inline size_t next_above(const float *c, size_t j, size_t len, float thr)
{
#ifdef HAVE_X86_KERNELS
    const __m128 t = _mm_set1_ps(thr);
    for (; j + 8 <= len; j += 8) {
        /* not-less-or-equal: a NaN stops the scan, as in the scalar test */
        int mk = _mm_movemask_ps(_mm_cmpnle_ps(_mm_loadu_ps(c + j), t)) |
                 _mm_movemask_ps(_mm_cmpnle_ps(_mm_loadu_ps(c + j + 4), t)) << 4;
        if (mk)
            return j + (size_t)__builtin_ctz((unsigned)mk);
    }
#endif
    while (j < len && c[j] <= thr)
        j++;
    return j;
}

int heard_model_explain(const heard_model *m, const heard_features *f, int hid, int o, float dir,
                        heard_model_span *spans, int max)
{
    if (!heard_model_has_head(m, hid) || !f || max <= 0)
        return 0;
    const head *h = &m->heads[hid];
    if (o < 0 || o >= h->n_out)
        return 0;
    int n = 0;
    size_t nf = n_feats(hid, f);
    float cs[EXPLAIN_CHUNK];
    /* a contribution enters when it is positive and, once the list is
     * full, beats its last entry: c > thr */
    float thr = 0;
    /* keep the max best distinct spans by insertion into a short list */
    for (size_t from = 0; from < nf; from += EXPLAIN_CHUNK) {
        size_t len = nf - from < EXPLAIN_CHUNK ? nf - from : EXPLAIN_CHUNK;
        contributions(m, hid, o, dir, f->f + from, len, cs);
        for (size_t j = next_above(cs, 0, len, thr); j < len;
             j = next_above(cs, j + 1, len, thr)) {
            float c = cs[j];
            const heard_feature *x = &f->f[from + j];
            int dup = -1;
            for (int k = 0; k < n; k++)
                if (spans[k].first == x->first && spans[k].last == x->last)
                    dup = k;
            if (dup >= 0) {
                if (c <= spans[dup].weight)
                    continue;
                for (int k = dup; k + 1 < n; k++) /* drop it, re-insert below */
                    spans[k] = spans[k + 1];
                n--;
            }
            int k = n < max ? n++ : max - 1;
            while (k > 0 && spans[k - 1].weight < c) {
                spans[k] = spans[k - 1];
                k--;
            }
            spans[k].first = x->first;
            spans[k].last = x->last;
            spans[k].weight = c;
            if (n == max && spans[n - 1].weight > 0)
                thr = spans[n - 1].weight;
        }
    }
    return n;
}
