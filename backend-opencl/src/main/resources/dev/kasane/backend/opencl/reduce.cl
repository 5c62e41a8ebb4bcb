/*
 * Reductions of one dtype T. K is the layout of the kept positions (operand 0: source, operand 1: destination),
 * R the layout of the reduced positions relative to a kept position (operand 0: source, offset 0). Ops are named
 * by the RED_* macros that OpSource generates from dev.kasane.tensor.spi.ReduceOp.
 *
 * *_serial kernels: one work item per output walks its reduced elements in order.
 * *_tree kernels: one work-group of RWG items per output, strided partial results, then a local-memory tree.
 */

#if defined(KIND_FLOAT)
#define ACC T
#define ACC_COMB(op, a, b) ((op) == RED_SUM ? (a) + (b) : (a) * (b))
#define T_LOWEST ((T)(-INFINITY))
#define T_HIGHEST ((T)INFINITY)
#else
#define ACC long
#define ACC_COMB(op, a, b) ((op) == RED_SUM ? (long)((ulong)(a) + (ulong)(b)) : (long)((ulong)(a) * (ulong)(b)))
#if defined(KIND_I32)
#define T_LOWEST INT_MIN
#define T_HIGHEST INT_MAX
#elif defined(KIND_I64)
#define T_LOWEST LONG_MIN
#define T_HIGHEST LONG_MAX
#else
#define T_LOWEST ((uchar)0)
#define T_HIGHEST ((uchar)UCHAR_MAX)
#endif
#endif

/* MAX / MIN with NaN propagation. */
inline T mm_comb(int op, T a, T b) {
    if (ISNAN(a)) {
        return a;
    }
    if (ISNAN(b)) {
        return b;
    }
    return op == RED_MAX ? (a > b ? a : b) : (a < b ? a : b);
}

/* True if x is strictly better than y for ARGMAX / ARGMIN; NaN beats everything. */
inline int arg_better(int op, T x, T y) {
    if (ISNAN(x)) {
        return !ISNAN(y);
    }
    if (ISNAN(y)) {
        return 0;
    }
    return op == RED_ARGMAX ? x > y : x < y;
}

/* Offset of reduced element r of layout R (single operand). */
#define RED_OFFSET(R, r, out) do { int ro_[1]; OFFSETS(R, r, 1, ro_); (out) = ro_[0]; } while (0)

/*
 * Runs BODY for the reduced elements r = R0 .. n-1 of layout R, in order, with ro the offset of element r: the
 * divisions of RED_OFFSET once per row of R's last dimension, then steps of its stride.
 */
#define FOR_REDUCED(R, n, R0, r, ro, BODY) do { \
    int w_ = (R).rank > 0 ? (R).shape[(R).rank - 1] : 1; \
    int s_ = (R).rank > 0 ? (R).st[0][(R).rank - 1] : 0; \
    for (int r = (R0); r < (n); ) { \
        int ro; \
        RED_OFFSET(R, r, ro); \
        for (int end_ = min((n), (r / w_ + 1) * w_); r < end_; r++, ro += s_) { \
            BODY; \
        } \
    } \
} while (0)

/*
 * Defines the serial kernel NAME writing V: one work item per output folds its reduced elements from R0 on, in order,
 * into a value that starts at INIT (which may read the first reduced element, x[o[0]]). COMB(op, a, b) combines.
 */
#define FOLD_SERIAL_KERNEL(NAME, V, R0, INIT, COMB) \
__kernel void NAME(__global const T* x, __global V* y, Layout K, Layout R, int nOut, int nRed, int op) { \
    ELEMENT_OFFSETS(i, nOut, K, 2, o); \
    V acc = INIT; \
    FOR_REDUCED(R, nRed, R0, r, ro, acc = COMB(op, acc, (V)x[o[0] + ro])); \
    y[o[1]] = acc; \
}

FOLD_SERIAL_KERNEL(reduce_acc_serial, ACC, 0, (op == RED_SUM ? (ACC)0 : (ACC)1), ACC_COMB)
FOLD_SERIAL_KERNEL(reduce_mm_serial, T, 1, x[o[0]], mm_comb)

__kernel void reduce_arg_serial(__global const T* x, __global long* y, Layout K, Layout R, int nOut, int nRed, int op) {
    ELEMENT_OFFSETS(i, nOut, K, 2, o);
    T best = x[o[0]];
    int bi = 0;
    FOR_REDUCED(R, nRed, 1, r, ro, if (arg_better(op, x[o[0] + ro], best)) { best = x[o[0] + ro]; bi = r; });
    y[o[1]] = bi;
}

/*
 * Defines the tree kernel NAME writing V: each of the RWG items of a group folds every RWG-th reduced element into a
 * partial that starts at INIT, then the group folds the partials pairwise in local memory. COMB(op, a, b) combines.
 */
#define FOLD_TREE_KERNEL(NAME, V, INIT, COMB) \
__kernel __attribute__((reqd_work_group_size(RWG, 1, 1))) \
void NAME(__global const T* x, __global V* y, Layout K, Layout R, int nOut, int nRed, int op) { \
    __local V buf[RWG]; \
    int g = get_group_id(0); \
    int l = get_local_id(0); \
    int o[2]; \
    OFFSETS(K, g, 2, o); \
    V acc = INIT; \
    for (int r = l; r < nRed; r += RWG) { \
        int ro; \
        RED_OFFSET(R, r, ro); \
        acc = COMB(op, acc, (V)x[o[0] + ro]); \
    } \
    buf[l] = acc; \
    barrier(CLK_LOCAL_MEM_FENCE); \
    for (int s = RWG / 2; s > 0; s >>= 1) { \
        if (l < s) { \
            buf[l] = COMB(op, buf[l], buf[l + s]); \
        } \
        barrier(CLK_LOCAL_MEM_FENCE); \
    } \
    if (l == 0) { \
        y[o[1]] = buf[0]; \
    } \
}

FOLD_TREE_KERNEL(reduce_acc_tree, ACC, (op == RED_SUM ? (ACC)0 : (ACC)1), ACC_COMB)
FOLD_TREE_KERNEL(reduce_mm_tree, T, (op == RED_MAX ? T_LOWEST : T_HIGHEST), mm_comb)

__kernel __attribute__((reqd_work_group_size(RWG, 1, 1)))
void reduce_arg_tree(__global const T* x, __global long* y, Layout K, Layout R, int nOut, int nRed, int op) {
    __local T vbuf[RWG];
    __local int ibuf[RWG];
    int g = get_group_id(0);
    int l = get_local_id(0);
    int o[2];
    OFFSETS(K, g, 2, o);
    T best = 0;
    int bi = -1;
    for (int r = l; r < nRed; r += RWG) {
        int ro;
        RED_OFFSET(R, r, ro);
        T v = x[o[0] + ro];
        if (bi < 0 || arg_better(op, v, best)) {
            best = v;
            bi = r;
        }
    }
    vbuf[l] = best;
    ibuf[l] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = RWG / 2; s > 0; s >>= 1) {
        if (l < s) {
            int i2 = ibuf[l + s];
            int i1 = ibuf[l];
            if (i2 >= 0) {
                T v2 = vbuf[l + s];
                T v1 = vbuf[l];
                if (i1 < 0 || arg_better(op, v2, v1) || (!arg_better(op, v1, v2) && i2 < i1)) {
                    vbuf[l] = v2;
                    ibuf[l] = i2;
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) {
        y[o[1]] = ibuf[0];
    }
}
