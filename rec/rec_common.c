/* rec/rec_common.c - status strings and key-derived draws shared by all
 * simulators. */
#include "rec.h"

const char *rec_strerror(rec_status status)
{
    switch (status) {
    case REC_OK: return "success";
    case REC_ERR_INVALID_ARG: return "invalid argument (NULL, non-finite or out of range)";
    case REC_ERR_STEP_CAP: return "simulator reached its step cap";
    case REC_ERR_NOMEM: return "out of memory";
    case REC_ERR_CORRUPT: return "corrupt or truncated code stream";
    case REC_ERR_UNBOUNDED: return "target not dominated by the prior (s >= 1)";
    case REC_ERR_UNSUPPORTED: return "unsupported sampler or feature";
    }
    return "unknown status";
}

uint64_t rec_key_u64(const rec_key *key, uint64_t j)
{
    return rec_prng_u64(key->seed, key->stream,
                        key->index * REC_KEY_DRAWS + (j & (REC_KEY_DRAWS - 1)));
}

double rec_key_uniform(const rec_key *key, uint64_t j)
{
    /* rec_prng_uniform = rec_prng_bits_to_uniform(rec_prng_u64(...)): one call less */
    return rec_prng_uniform(key->seed, key->stream,
                            key->index * REC_KEY_DRAWS + (j & (REC_KEY_DRAWS - 1)));
}

void rec_key_u64x2(const rec_key *key, uint64_t j, uint64_t out[2])
{
    rec_prng_u64x2(key->seed, key->stream, key->index * REC_KEY_DRAWS + (j & (REC_KEY_DRAWS - 1)),
                   out);
}
