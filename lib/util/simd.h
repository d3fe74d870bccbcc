/*
 * simd.h - SSE2 steps for byte scans, 16 bytes at a time.
 *
 * Every x86-64 processor has SSE2; where the compiler does not offer it,
 * MT_HAVE_SSE2 is 0 and none of this is defined: callers keep a scalar loop
 * for that case and for the tail of a scan shorter than 16 bytes. The masks
 * have bit i set for byte i of the 16 (the first byte is the lowest bit), so
 * __builtin_ctz() of a mask is the offset of the first match. Loads are
 * unaligned; the caller makes sure 16 bytes are there to read.
 */
#ifndef MT_UTIL_SIMD_H
#define MT_UTIL_SIMD_H

#if defined(__SSE2__)
#include <emmintrin.h>
#define MT_HAVE_SSE2 1

/* The 16 bytes at p. */
static inline __m128i
mt_simd_load(const char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* The bytes of v equal to c. */
static inline unsigned
mt_simd_eq(__m128i v, char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/* The bytes of v in [lo, hi] (both below 0x80; bytes from 0x80 up never are). */
static inline unsigned
mt_simd_in_range(__m128i v, char lo, char hi)
{
    __m128i a = _mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1)));
    __m128i b = _mm_cmpgt_epi8(_mm_set1_epi8((char)(hi + 1)), v);

    return (unsigned)_mm_movemask_epi8(_mm_and_si128(a, b));
}

/* The letters of v, either case. */
static inline unsigned
mt_simd_alpha(__m128i v)
{
    return mt_simd_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
}

#else
#define MT_HAVE_SSE2 0
#endif

#endif
