/*
 * Shared definitions, prepended to every Kasane program.
 *
 * Build-time macros (set by Programs.java):
 *   T          element type of the program's dtype (float, double, int, long, uchar)
 *   UT         unsigned type used for wrapping integer arithmetic (uint, ulong)
 *   KIND_FLOAT / KIND_INT, plus KIND_BOOL for BOOL and KIND_F64 for F64
 *   HAS_FP64   the device supports cl_khr_fp64
 *   MAXR       maximum rank of a Layout
 *   RWG        work-group size of the tree reductions
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

#if defined(KIND_FLOAT)
#define ISNAN(x) isnan(x)
#else
#define ISNAN(x) 0
#endif

/* x < 0, spelled so that unsigned element types compile without warnings. */
#if defined(KIND_U8) || defined(KIND_BOOL)
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
