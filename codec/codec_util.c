/* Checked size arithmetic and the bounded reader (see codec_internal.h). */
#include "codec_internal.h"

int recimg_size_mul3(size_t a, size_t b, size_t c, size_t *out)
{
    *out = 0;
    if (a != 0 && b > SIZE_MAX / a)
        return -1;
    if (a * b != 0 && c > SIZE_MAX / (a * b))
        return -1;
    *out = a * b * c;
    return 0;
}

void recimg_reader_init(recimg_reader *r, const uint8_t *data, size_t size)
{
    r->data = data;
    r->size = data ? size : 0;
    r->pos = 0;
    r->err = 0;
}

static int reader_take(recimg_reader *r, size_t n, const uint8_t **p)
{
    if (r->err || r->size - r->pos < n) {
        r->err = 1;
        return 0;
    }
    *p = r->data + r->pos;
    r->pos += n;
    return 1;
}

uint32_t recimg_reader_u8(recimg_reader *r)
{
    const uint8_t *p;
    return reader_take(r, 1, &p) ? p[0] : 0;
}

uint32_t recimg_reader_u16(recimg_reader *r)
{
    const uint8_t *p;
    return reader_take(r, 2, &p) ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : 0;
}

uint32_t recimg_reader_u32(recimg_reader *r)
{
    const uint8_t *p;
    if (!reader_take(r, 4, &p))
        return 0;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t recimg_reader_u64(recimg_reader *r)
{
    const uint64_t lo = recimg_reader_u32(r);
    const uint64_t hi = recimg_reader_u32(r);
    return lo | hi << 32;
}

void recimg_store_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void recimg_store_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void recimg_store_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
