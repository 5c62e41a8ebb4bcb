/*
 * Elementwise kernels of one dtype T: unary, binary, comparisons, where and dtype conversion, each as a
 * contiguous variant (operands dense from an offset) and a general strided variant over a Layout.
 * Op codes are the ordinals of dev.kasane.tensor.spi.UnaryOp / BinaryOp.
 */

#if defined(KIND_FLOAT)
inline T un_op(int op, T x) {
    switch (op) {
        case 0: return -x;
        case 1: return fabs(x);
        case 2: return ISNAN(x) ? x : (x > 0 ? (T)1 : (x < 0 ? (T)-1 : (T)0));
        case 3: return x * x;
        case 4: return (x > 0 || ISNAN(x)) ? x : (T)0;
        case 6: return exp(x);
        case 7: return log(x);
        case 8: return log1p(x);
        case 9: return sqrt(x);
        case 10: return (T)1 / sqrt(x);
        case 11: return (T)1 / x;
        case 12: return sin(x);
        case 13: return cos(x);
        case 14: return tanh(x);
        case 15: {
            if (x >= 0) {
                return (T)1 / ((T)1 + exp(-x));
            }
            T e = exp(x);
            return e / ((T)1 + e);
        }
        case 16: return erf(x);
        case 17: return floor(x);
        case 18: return ceil(x);
        case 19: return rint(x);
        default: return x;
    }
}

inline T bin_op(int op, T a, T b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return a / b;
        case 4: return pow(a, b);
        case 5: return (ISNAN(a) || ISNAN(b)) ? a + b : (a > b ? a : b);
        case 6: return (ISNAN(a) || ISNAN(b)) ? a + b : (a < b ? a : b);
        default: return a;
    }
}
#else
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

inline T un_op(int op, T x) {
    switch (op) {
        case 0: return NORM((UT)0 - (UT)x);
        case 1: return IS_NEG(x) ? (T)((UT)0 - (UT)x) : x;
        case 2: return (T)((x > 0) - IS_NEG(x));
        case 3: return NORM((UT)x * (UT)x);
        case 4: return x > 0 ? x : (T)0;
        case 5: return (T)(x == 0);
        default: return x;
    }
}

inline T bin_op(int op, T a, T b) {
    switch (op) {
        case 0: return NORM((UT)a + (UT)b);
        case 1: return NORM((UT)a - (UT)b);
        case 2: return NORM((UT)a * (UT)b);
        case 3: return b == 0 ? (T)0 : ((IS_NEG(b) && b == (T)-1) ? (T)((UT)0 - (UT)a) : (T)(a / b));
        case 4: return NORM(ipow(a, b));
        case 5: return a > b ? a : b;
        case 6: return a < b ? a : b;
        case 13: return NORM(a & b);
        case 14: return NORM(a | b);
        case 15: return NORM(a ^ b);
        default: return a;
    }
}
#endif

inline uchar cmp_op(int op, T a, T b) {
    switch (op) {
        case 7: return a == b;
        case 8: return a != b;
        case 9: return a < b;
        case 10: return a <= b;
        case 11: return a > b;
        case 12: return a >= b;
        default: return 0;
    }
}

__kernel void unary_contig(__global const T* x, int xo, __global T* y, int yo, int n, int op) {
    int i = get_global_id(0);
    if (i < n) {
        y[yo + i] = un_op(op, x[xo + i]);
    }
}

__kernel void unary_strided(__global const T* x, __global T* y, Layout L, int n, int op) {
    int i = get_global_id(0);
    if (i < n) {
        int o[2];
        OFFSETS(L, i, 2, o);
        y[o[1]] = un_op(op, x[o[0]]);
    }
}

#define BINARY_KERNELS(NAME, FN, DT) \
__kernel void NAME##_contig(__global const T* a, int ao, __global const T* b, int bo, __global DT* y, int yo, int n, \
        int op) { \
    int i = get_global_id(0); \
    if (i < n) { \
        y[yo + i] = FN(op, a[ao + i], b[bo + i]); \
    } \
} \
__kernel void NAME##_strided(__global const T* a, __global const T* b, __global DT* y, Layout L, int n, int op) { \
    int i = get_global_id(0); \
    if (i < n) { \
        int o[3]; \
        OFFSETS(L, i, 3, o); \
        y[o[2]] = FN(op, a[o[0]], b[o[1]]); \
    } \
}

BINARY_KERNELS(binary, bin_op, T)
BINARY_KERNELS(compare, cmp_op, uchar)

__kernel void where_contig(__global const uchar* c, int co, __global const T* a, int ao, __global const T* b, int bo,
        __global T* y, int yo, int n) {
    int i = get_global_id(0);
    if (i < n) {
        y[yo + i] = c[co + i] ? a[ao + i] : b[bo + i];
    }
}

__kernel void where_strided(__global const uchar* c, __global const T* a, __global const T* b, __global T* y, Layout L,
        int n) {
    int i = get_global_id(0);
    if (i < n) {
        int o[4];
        OFFSETS(L, i, 4, o);
        y[o[3]] = c[o[0]] ? a[o[1]] : b[o[2]];
    }
}

/* Conversions from T, with the rules of Backend.copy (float to integer truncates and saturates, NaN to 0). */
#if defined(KIND_FLOAT)
#define TO_I32(x) convert_int_sat_rtz(x)
#define TO_I64(x) convert_long_sat_rtz(x)
#define TO_U8(x) ((uchar)convert_long_sat_rtz(x))
#else
#define TO_I32(x) ((int)(x))
#define TO_I64(x) ((long)(x))
#define TO_U8(x) ((uchar)(x))
#endif
#define TO_F32(x) convert_float(x)
#define TO_F64(x) convert_double(x)
#define TO_BOOL(x) ((uchar)((x) != 0))

#define CONVERT_KERNEL(SUF, DT, CONV) \
__kernel void convert_##SUF(__global const T* x, __global DT* y, Layout L, int n) { \
    int i = get_global_id(0); \
    if (i < n) { \
        int o[2]; \
        OFFSETS(L, i, 2, o); \
        y[o[1]] = CONV(x[o[0]]); \
    } \
}

CONVERT_KERNEL(f32, float, TO_F32)
#if defined(HAS_FP64)
CONVERT_KERNEL(f64, double, TO_F64)
#endif
CONVERT_KERNEL(i32, int, TO_I32)
CONVERT_KERNEL(i64, long, TO_I64)
CONVERT_KERNEL(u8, uchar, TO_U8)
CONVERT_KERNEL(bool, uchar, TO_BOOL)

/*
 * fill: y[i] = the value whose bit pattern the host passes in `bits` (already converted to T on the host with the
 * rules of Backend.fill): the low 32 bits of a float, all 64 of a double, the value itself for the integer types.
 */
#if defined(KIND_F32)
#define FROM_BITS(b) as_float((uint)(b))
#elif defined(KIND_F64)
#define FROM_BITS(b) as_double(b)
#else
#define FROM_BITS(b) ((T)(b))
#endif

__kernel void fill_strided(__global T* y, Layout L, int n, long bits) {
    int i = get_global_id(0);
    if (i < n) {
        int o[1];
        OFFSETS(L, i, 1, o);
        y[o[0]] = FROM_BITS(bits);
    }
}
