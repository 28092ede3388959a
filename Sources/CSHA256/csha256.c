#include "csha256.h"

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t round_constants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

int csha256_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int sha = (ebx >> 29) & 1;
    return ssse3 && sse41 && sha;
}

/* The SHA extensions keep the eight working variables in two registers, {A,B,E,F} and {C,D,G,H} (A in the
   highest lane); sha256rnds2 does two rounds, taking W[t]+K[t] for both in the low 64 bits of its third operand.
   The message schedule is four registers of four words each: W[t..t+3] for t = 16...63 is
   msg2(msg1(W[t-16..t-13], W[t-12..t-9]) + W[t-7..t-4], W[t-4..t-1]). */
__attribute__((target("sha,sse4.1,ssse3")))
void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t count) {
    /* Big-endian words from memory, in lanes 0..3. */
    const __m128i byte_swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);   /* lanes: A B C D */
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);   /* lanes: E F G H */
    __m128i badc = _mm_shuffle_epi32(abcd, 0xb1);                  /* lanes: B A D C */
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);                  /* lanes: H G F E */
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);                 /* lanes: F E B A */
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);              /* lanes: H G D C */

    for (; count > 0; count--, blocks += 64) {
        const __m128i saved_abef = abef, saved_cdgh = cdgh;
        __m128i w[4];
#pragma clang loop unroll(full)
        for (int group = 0; group < 16; group++) {
            __m128i words;
            if (group < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16 * group)), byte_swap);
            } else {
                __m128i sum = _mm_sha256msg1_epu32(w[group & 3], w[(group + 1) & 3]);
                sum = _mm_add_epi32(sum, _mm_alignr_epi8(w[(group + 3) & 3], w[(group + 2) & 3], 4));
                words = _mm_sha256msg2_epu32(sum, w[(group + 3) & 3]);
            }
            w[group & 3] = words;
            __m128i scheduled = _mm_add_epi32(words, _mm_load_si128((const __m128i *)&round_constants[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, scheduled);
            scheduled = _mm_shuffle_epi32(scheduled, 0x0e);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, scheduled);
        }
        abef = _mm_add_epi32(abef, saved_abef);
        cdgh = _mm_add_epi32(cdgh, saved_cdgh);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1b);                  /* lanes: A B E F */
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);                  /* lanes: G H C D */
    abcd = _mm_blend_epi16(feba, dchg, 0xf0);                      /* lanes: A B C D */
    efgh = _mm_alignr_epi8(dchg, feba, 8);                         /* lanes: E F G H */
    _mm_storeu_si128((__m128i *)&state[0], abcd);
    _mm_storeu_si128((__m128i *)&state[4], efgh);
}

#elif defined(__aarch64__)

#include <arm_neon.h>
#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif
#endif

int csha256_hardware_available(void) {
#if defined(__APPLE__)
    return 1;   /* every Apple Arm64 CPU has the SHA-2 instructions */
#elif defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0;
#else
    return 0;
#endif
}

/* sha256h/sha256h2 do four rounds on {A,B,C,D} and {E,F,G,H} with W[t..t+3]+K[t..t+3]; W[t..t+3] for
   t = 16...63 is su1(su0(W[t-16..t-13], W[t-12..t-9]), W[t-8..t-5], W[t-4..t-1]). */
__attribute__((target("sha2")))
void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t count) {
    uint32x4_t abcd = vld1q_u32(&state[0]);
    uint32x4_t efgh = vld1q_u32(&state[4]);
    for (; count > 0; count--, blocks += 64) {
        const uint32x4_t saved_abcd = abcd, saved_efgh = efgh;
        uint32x4_t w[4];
#pragma clang loop unroll(full)
        for (int group = 0; group < 16; group++) {
            uint32x4_t words;
            if (group < 4) {
                words = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blocks + 16 * group)));
            } else {
                words = vsha256su1q_u32(vsha256su0q_u32(w[group & 3], w[(group + 1) & 3]),
                                        w[(group + 2) & 3], w[(group + 3) & 3]);
            }
            w[group & 3] = words;
            const uint32x4_t scheduled = vaddq_u32(words, vld1q_u32(&round_constants[4 * group]));
            const uint32x4_t previous_abcd = abcd;
            abcd = vsha256hq_u32(abcd, efgh, scheduled);
            efgh = vsha256h2q_u32(efgh, previous_abcd, scheduled);
        }
        abcd = vaddq_u32(abcd, saved_abcd);
        efgh = vaddq_u32(efgh, saved_efgh);
    }
    vst1q_u32(&state[0], abcd);
    vst1q_u32(&state[4], efgh);
}

#else

int csha256_hardware_available(void) { return 0; }

void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t count) {
    (void)state;
    (void)blocks;
    (void)count;
}

#endif
