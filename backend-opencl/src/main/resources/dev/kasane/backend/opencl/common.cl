/*
 * Shared definitions, prepended to every Kasane program.
 *
 * Build-time macros (set by Programs.java):
 *   T          element type of the program's dtype (float, double, int, long, uchar; ushort holding the bits of
 *              the storage dtypes BF16 and F16)
 *   UT         unsigned type used for wrapping integer arithmetic (uint, ulong)
 *   KIND_FLOAT / KIND_INT, plus KIND_BOOL for BOOL and KIND_F64 for F64; BF16 and F16 compile as KIND_INT (no op
 *              computes in them) with KIND_HALF and KIND_BF16 or KIND_F16, which only the conversions read
 *   HAS_FP64   the device supports cl_khr_fp64
 *   MAXR       maximum rank of a Layout
 *   RWG        work-group size of the tree reductions
 *   RUN        elements of one row each work item of a strided elementwise kernel takes (see STRIDED_RUN)
 */
#if defined(HAS_FP64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

/*
 * A strided iteration space shared by up to four operands: element i (row-major over shape[0..rank)) of
 * operand q lives at off[q] + sum_d coord_d * st[q][d]. Passed by value; the host packs it as int[].
 */
typedef struct {
    int rank;
    int shape[MAXR];
    int st[4][MAXR];
    int off[4];
} Layout;

/* o[q] = storage offset of element i for operands 0..NOP-1 of layout L. */
#define OFFSETS(L, i, NOP, o) do { \
    int rem_ = (i); \
    for (int q_ = 0; q_ < (NOP); q_++) (o)[q_] = (L).off[q_]; \
    for (int d_ = (L).rank - 1; d_ >= 0; d_--) { \
        int s_ = (L).shape[d_]; \
        int c_ = d_ == 0 ? rem_ : rem_ % s_; \
        rem_ /= s_; \
        for (int q_ = 0; q_ < (NOP); q_++) (o)[q_] += c_ * (L).st[q_][d_]; \
    } \
} while (0)

/*
 * The prologue of a kernel with one work item per element of layout L: declares the item's index i (items from n on
 * return) and o[q], its element's storage offset in operands 0..NOP-1.
 */
#define ELEMENT_OFFSETS(i, n, L, NOP, o) \
    int i = get_global_id(0); \
    if (i >= (n)) { \
        return; \
    } \
    int o[NOP]; \
    OFFSETS(L, i, NOP, o)

/*
 * Rows of `width` elements cut into runs of up to `run`: the row work item `id` takes (returned) and its run
 * [*lo, *hi). The host launches Layout.runItems(rows, width, run) items.
 */
inline int row_run(int id, int width, int run, int* lo, int* hi) {
    int runs = (width + run - 1) / run;
    *lo = id % runs * run;
    *hi = min(width, *lo + run);
    return id / runs;
}

/*
 * The body of a strided elementwise kernel over layout L (n elements): each work item takes a run of up to RUN
 * consecutive elements of one row (the last dimension), finds the first one's storage offsets o[q] in operands
 * 0..NOP-1 once (the divisions of OFFSETS), and steps them by the last dimension's strides for the others, running
 * BODY for each element. The host launches Layout.runItems(RUN) work items. RUN is large on CPU devices (the
 * divisions are paid once per run) and 1 on GPUs (one element per work item, neighbours touching neighbours).
 */
#define STRIDED_RUN(n, L, NOP, o, BODY) \
    int last_ = (L).rank - 1; \
    int w_ = last_ >= 0 ? (L).shape[last_] : 1; \
    int lo_, hi_; \
    int first_ = row_run(get_global_id(0), w_, RUN, &lo_, &hi_) * w_ + lo_; \
    if (first_ >= (n)) { \
        return; \
    } \
    int o[NOP]; \
    OFFSETS(L, first_, NOP, o); \
    for (int e_ = hi_ - lo_; e_ > 0; e_--) { \
        BODY; \
        for (int q_ = 0; q_ < (NOP); q_++) (o)[q_] += last_ >= 0 ? (L).st[q_][last_] : 0; \
    }

#if defined(KIND_FLOAT)
#define ISNAN(x) isnan(x)
#else
#define ISNAN(x) 0
#endif

/* x < 0, spelled so that unsigned element types compile without warnings. */
#if defined(KIND_U8) || defined(KIND_BOOL) || defined(KIND_HALF)
#define IS_NEG(x) 0
#else
#define IS_NEG(x) ((x) < 0)
#endif

#if defined(KIND_BOOL)
#define NORM(x) ((T)((x) != 0))
#else
#define NORM(x) ((T)(x))
#endif

#if !defined(KIND_FLOAT)
/* base^e with wrap-around for integer T; 0 for a negative exponent. */
inline T ipow(T base, T e) {
    if (IS_NEG(e)) {
        return (T)0;
    }
    UT r = 1;
    UT b = (UT)base;
    while (e != 0) {
        if (e & 1) {
            r *= b;
        }
        e >>= 1;
        if (e != 0) {
            b *= b;
        }
    }
    return (T)r;
}
#endif

/*
 * The 16-bit float storage dtypes as bit patterns, with integer arithmetic only (no cl_khr_fp16): widening is exact,
 * narrowing rounds to nearest even as PyTorch does (BF16: every NaN to 0x7FC0; F16: NaN to 0x7E00 with its sign,
 * infinity from 65520 up, subnormals below 2^-14). The same rules as dev.kasane.tensor.spi.HalfFloats.
 */
inline float bf16_to_f32(ushort h) {
    return as_float(((uint)h) << 16);
}

inline ushort f32_to_bf16(float f) {
    uint x = as_uint(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) {
        return (ushort)0x7FC0;
    }
    return (ushort)((x + 0x7FFFu + ((x >> 16) & 1u)) >> 16);
}

inline float f16_to_f32(ushort h) {
    uint sign = ((uint)h & 0x8000u) << 16;
    uint e = ((uint)h >> 10) & 0x1Fu;
    uint m = (uint)h & 0x3FFu;
    if (e == 0x1Fu) {
        return as_float(sign | 0x7F800000u | (m << 13));
    }
    if (e == 0) {
        if (m == 0) {
            return as_float(sign);
        }
        /* normalise the subnormal: m * 2^-24 */
        int shift = 0;
        while ((m & 0x400u) == 0) {
            m <<= 1;
            shift++;
        }
        return as_float(sign | ((uint)(113 - shift) << 23) | ((m & 0x3FFu) << 13));
    }
    return as_float(sign | ((e + 112u) << 23) | (m << 13));
}

inline ushort f32_to_f16(float f) {
    uint x = as_uint(f);
    uint sign = (x >> 16) & 0x8000u;
    uint a = x & 0x7FFFFFFFu;
    if (a > 0x7F800000u) {
        return (ushort)(sign | 0x7E00u);
    }
    if (a >= 0x477FF000u) {
        return (ushort)(sign | 0x7C00u);
    }
    uint e = a >> 23;
    if (a < 0x38800000u) {
        if (e < 102u) {
            return (ushort)sign; /* below 2^-25: rounds to zero */
        }
        uint m = (a & 0x7FFFFFu) | 0x800000u;
        uint s = 126u - e; /* 14..24: m * 2^(e - 150) in units of 2^-24 is m >> s */
        uint h = m >> s;
        uint rest = m & ((1u << s) - 1u);
        uint mid = 1u << (s - 1u);
        if (rest > mid || (rest == mid && (h & 1u))) {
            h++;
        }
        return (ushort)(sign | h);
    }
    uint h = ((e - 112u) << 10) | ((a >> 13) & 0x3FFu);
    uint rest = a & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) {
        h++;
    }
    return (ushort)(sign | h);
}
